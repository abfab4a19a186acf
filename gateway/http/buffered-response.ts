/**
 * A web `Response` whose whole body is known when it is made: a JSON-RPC reply, a channel
 * record. undici turns a body into a web stream at construction and reads it back through that
 * stream (about 13 µs a response, on the path of every tool call, DESIGN §8); this one keeps the
 * bytes, hands them to the node adapter as they are (`bytesOf`) and builds a stream only for a
 * reader that asks for `body`. Everything else is undici's Response.
 */

const utf8 = new TextDecoder();
const encoder = new TextEncoder();

/**
 * How an adapter takes the bytes. A registered symbol, not a private field: the product's
 * gateway core is bundled by Next.js while server.ts loads the adapter from source, so the two
 * hold different copies of this class.
 */
const TAKE = Symbol.for('pqgate.BufferedResponse.take');

/** A Response over bytes in memory. */
export class BufferedResponse extends Response {
  readonly #bytes: Uint8Array;
  #stream: ReadableStream<Uint8Array<ArrayBuffer>> | undefined;
  /** The body was read (a reader method, the stream, or an adapter took it). */
  #used = false;

  constructor(body: string | Uint8Array, init?: ResponseInit) {
    super(null, init);
    this.#bytes = typeof body === 'string' ? encoder.encode(body) : body;
  }

  /** A JSON response, as `Response.json` makes one. */
  static override json(data: unknown, init?: ResponseInit): BufferedResponse {
    const headers = new Headers(init?.headers);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    return new BufferedResponse(JSON.stringify(data), { ...init, headers });
  }

  /** The body as a stream that yields the bytes when read (asking for it reads nothing yet). */
  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> {
    this.#stream ??= new ReadableStream<Uint8Array<ArrayBuffer>>(
      {
        pull: (controller) => {
          controller.enqueue(this.#take() as Uint8Array<ArrayBuffer>);
          controller.close();
        },
        cancel: () => {
          this.#used = true;
        },
      },
      { highWaterMark: 0 },
    );
    return this.#stream;
  }

  override get bodyUsed(): boolean {
    return this.#used;
  }

  /** The body, once (the Fetch standard's "body is unusable" after a read). */
  #take(): Uint8Array {
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    return this.#bytes;
  }

  /** The whole body, through the stream if someone has asked for it. */
  async #read(): Promise<Uint8Array> {
    if (!this.#stream) return this.#take();
    if (this.#used || this.#stream.locked) throw new TypeError('Body is unusable: Body has already been read');
    const reader = this.#stream.getReader();
    const { value } = await reader.read();
    reader.releaseLock();
    return value ?? new Uint8Array(0);
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.#read();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  override async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(await this.arrayBuffer());
  }

  override async text(): Promise<string> {
    return utf8.decode(await this.#read());
  }

  override async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  override async blob(): Promise<Blob> {
    return new Blob([await this.arrayBuffer()], { type: this.headers.get('content-type') ?? '' });
  }

  override clone(): BufferedResponse {
    if (this.#used || this.#stream?.locked) throw new TypeError('Response.clone: Body has already been consumed.');
    return new BufferedResponse(this.#bytes, { status: this.status, statusText: this.statusText, headers: this.headers });
  }

  /** For adapters (through {@link BufferedResponse.bytesOf}). */
  [TAKE](): Uint8Array | undefined {
    return this.#used || this.#stream ? undefined : this.#take();
  }

  /**
   * For adapters: the body of `response` if it is a BufferedResponse (of any copy of this module)
   * whose body nobody has touched, taken without a stream; undefined otherwise (read it as any
   * Response).
   */
  static bytesOf(response: Response): Uint8Array | undefined {
    const take = (response as Response & { [TAKE]?: () => Uint8Array | undefined })[TAKE];
    return typeof take === 'function' ? take.call(response) : undefined;
  }
}
