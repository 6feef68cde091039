/** The project lock applies take; shared with the Docker backend (../lock.ts). */
export { acquireLock } from '../lock.ts';
