/**
 * A model.json and the means to read what it refers to: how every loader (URL, browser files,
 * Node paths) presents a model to {@link loadModelFiles}.
 */
export interface ModelFiles {
  /** For messages: the path, URL or file name of model.json. */
  readonly source: string;
  readModelJson(): Promise<string>;
  /** Bytes of a weights file named in the manifest (relative to model.json). */
  readWeights(path: string): Promise<ArrayBuffer>;
  /** The sidecar's text, or null when there is none. */
  readSidecar(): Promise<string | null>;
}
