import { buildClientIfStale } from '../../cli/buildClient.js';

/** The browser tests load the built client, exactly as `npm start` serves it. */
export default async function setup(): Promise<void> {
  await buildClientIfStale();
}
