/**
 * A web `Request` over a `node:http` message, built lazily (as hono's node adapter does). Method,
 * URL, headers, signal and the body readers (`arrayBuffer`, `bytes`, `text`, `json`) answer
 * from the message and its already-read body; anything else (`body`, `clone()`, `formData()`, …)
 * builds undici's Request once and delegates to it. undici's Request with a body and a signal
 * costs about 30 µs and a web stream per request, on the path of every tool call (DESIGN §8);
 * the gateway core needs none of it for a tool call. `instanceof Request` holds; one thing does
 * not: undici's `new Request(request)` reads undici's own internal state, so copy it with
 * `request.clone()` instead.
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

// Decodes as the Fetch standard's text() does: UTF-8, invalid bytes replaced, a BOM dropped.
const utf8 = new TextDecoder();

/** A lazy `Request`; `abort()` is for the adapter, when the client goes away. */
export interface IncomingRequest extends Request {
  /** Aborts `signal` (only allocated if someone asked for it). */
  abort(): void;
  /**
   * The remote address of the TCP connection as the socket reports it (undefined once the socket
   * is gone): the one fact about the client that no header can forge (http/client-address.ts).
   */
  readonly peer: string | undefined;
}

class LazyRequest {
  readonly #message: IncomingMessage;
  readonly #origin: string;
  /** The whole body when it was read before the request was built; undefined: it streams. */
  readonly #body: Buffer | undefined;
  #url: string | undefined;
  #headers: Headers | undefined;
  #aborter: AbortController | undefined;
  #used = false;
  #request: Request | undefined;

  constructor(message: IncomingMessage, origin: string, body: Buffer | undefined) {
    this.#message = message;
    this.#origin = origin;
    this.#body = body;
  }

  get method(): string {
    return this.#message.method ?? 'GET';
  }

  get url(): string {
    return (this.#url ??= new URL(this.#message.url ?? '/', this.#origin).href);
  }

  get headers(): Headers {
    if (!this.#headers) {
      const raw = this.#message.rawHeaders;
      const headers = new Headers();
      for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
      this.#headers = headers;
    }
    return this.#headers;
  }

  get peer(): string | undefined {
    return this.#message.socket?.remoteAddress;
  }

  get signal(): AbortSignal {
    return (this.#aborter ??= new AbortController()).signal;
  }

  get bodyUsed(): boolean {
    return this.#request ? this.#request.bodyUsed : this.#used;
  }

  abort(): void {
    this.#aborter?.abort();
  }

  /** The buffered body, once; null when the real Request has to answer. */
  #take(): Buffer | null {
    if (this.#request || this.#body === undefined) return null;
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    return this.#body;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const body = this.#take();
    if (!body) return this.#real().arrayBuffer();
    // A copy: the buffer may be a slice of the socket's larger one.
    return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
  }

  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(await this.arrayBuffer());
  }

  async text(): Promise<string> {
    const body = this.#take();
    return body ? utf8.decode(body) : this.#real().text();
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  /** undici's Request for everything else, built once with the same headers, signal and body. */
  #real(): Request {
    if (this.#request) return this.#request;
    const method = this.method;
    const streams = this.#body === undefined && method !== 'GET' && method !== 'HEAD';
    const request = new Request(this.url, {
      method,
      headers: this.headers,
      signal: this.signal,
      ...(this.#body !== undefined ? { body: this.#body } : streams ? { body: Readable.toWeb(this.#message) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
    } as RequestInit);
    // A body already read here is read there too, so bodyUsed and a second read behave alike.
    if (this.#used) void request.arrayBuffer().catch(() => undefined);
    return (this.#request = request);
  }

  /** The length of a body read before the request was built and not yet taken; else undefined. */
  static bufferedLength(request: unknown): number | undefined {
    if (!(typeof request === 'object' && request !== null && #body in request)) return undefined;
    return request.#request || request.#used ? undefined : request.#body?.length;
  }

  // Every other member of Request.prototype (getters and methods) is answered by the real Request.
  static {
    for (const key of Reflect.ownKeys(Request.prototype)) {
      if (key === 'constructor' || Object.prototype.hasOwnProperty.call(LazyRequest.prototype, key)) continue;
      const d = Object.getOwnPropertyDescriptor(Request.prototype, key)!;
      if (d.get) {
        Object.defineProperty(LazyRequest.prototype, key, {
          configurable: true,
          get(this: LazyRequest) {
            return Reflect.get(this.#real(), key);
          },
        });
      } else if (typeof d.value === 'function') {
        const method = d.value as (...args: unknown[]) => unknown;
        Object.defineProperty(LazyRequest.prototype, key, {
          configurable: true,
          writable: true,
          value(this: LazyRequest, ...args: unknown[]) {
            return method.apply(this.#real(), args);
          },
        });
      }
    }
    Object.setPrototypeOf(LazyRequest.prototype, Request.prototype);
  }
}

Object.setPrototypeOf(LazyRequest.prototype, Request.prototype);

/**
 * The request for `message` as a web `Request`. `body` is its whole body if already read (it
 * must then be complete); otherwise the body streams from the message when asked for.
 */
export function incomingRequest(message: IncomingMessage, origin: string, body?: Buffer): IncomingRequest {
  return new LazyRequest(message, origin, body) as unknown as IncomingRequest;
}

/**
 * The length of `request`'s body when the node adapter read it whole before building the request
 * (Node's HTTP parser framed it by its Content-Length), so a reader can check it without a stream;
 * undefined for any other request or body.
 */
export function bufferedBodyLength(request: Request): number | undefined {
  return LazyRequest.bufferedLength(request);
}
