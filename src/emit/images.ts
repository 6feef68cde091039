/**
 * `--image IMG` for every program, `--image PROGRAM=IMG` per program: read
 * the same way by `convert --to compose` and the docker backend.
 */
export function splitImages(list: readonly string[]): {
  image: string | undefined;
  images: Record<string, string>;
} {
  let image: string | undefined;
  const images: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    // an image reference never contains '=', so PROGRAM=IMAGE is unambiguous
    if (eq > 0) images[item.slice(0, eq)] = item.slice(eq + 1);
    else image = item;
  }
  return { image, images };
}
