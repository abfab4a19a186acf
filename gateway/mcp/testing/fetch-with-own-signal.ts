/** A `fetch` for SDK clients under load (the bench's load generator); see below. */
const following = new WeakMap<AbortSignal, Set<AbortController>>();

/**
 * `fetch` for the SDK's Streamable HTTP client transport. The transport hands its one
 * long-lived AbortSignal to every fetch, and undici keeps an abort listener on it per request
 * until that request is garbage-collected: under load the signal collects thousands
 * (MaxListenersExceededWarning past 1500). Here each fetch gets its own signal that follows the
 * shared one, and stops following once the response body is done or the request failed.
 */
export const fetchWithOwnSignal: typeof fetch = async (input, init) => {
  const shared = init?.signal;
  if (!shared) return fetch(input, init);
  const own = new AbortController();
  if (shared.aborted) own.abort(shared.reason);
  // One listener on the shared signal however many requests are in flight.
  let followers = following.get(shared);
  if (!followers) {
    const set = (followers = new Set());
    following.set(shared, set);
    shared.addEventListener('abort', () => set.forEach((c) => c.abort(shared.reason)), { once: true });
  }
  followers.add(own);
  const unlink = () => followers.delete(own);
  let res: Response;
  try {
    res = await fetch(input, { ...init, signal: own.signal });
  } catch (e) {
    unlink();
    throw e;
  }
  // Errors and redirects are read (or followed) at once and keep their own shape.
  if (!res.body || !res.ok) {
    unlink();
    return res;
  }
  const reader = res.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          unlink();
          controller.close();
        } else controller.enqueue(value);
      } catch (e) {
        unlink();
        controller.error(e);
      }
    },
    cancel(reason) {
      unlink();
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
};
