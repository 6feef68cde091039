import { splitImages } from '../../emit/images.ts';
import type { OpenBackend } from '../backends.ts';
import { createSwarmBackend } from './index.ts';

/** The swarm backend's entry in the backend registry (src/control/backends.ts). */
export const open: OpenBackend = (c) => {
  const list = Array.isArray(c.options.image) ? c.options.image.map(String) : [];
  const { image, images } = splitImages(list);
  return createSwarmBackend({
    project: c.project,
    image,
    ...(Object.keys(images).length > 0 ? { images } : {}),
    dockerHost: c.env.SUPCTL_SWARM_HOST ?? c.env.DOCKER_HOST,
    ...(c.timeoutMs !== undefined ? { timeoutMs: c.timeoutMs } : {}),
  });
};
