import { NextResponse, type NextRequest } from 'next/server';

// Redirects signed-out visitors to sign-in. Only a convenience: every page, action and
// route handler checks the session and role on the server itself (lib/auth/current-user.ts).
const SESSION_COOKIES = ['authjs.session-token', '__Secure-authjs.session-token'];

export function proxy(request: NextRequest) {
  const signedIn = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (signedIn) return NextResponse.next();
  const url = new URL('/sign-in', request.url);
  url.searchParams.set('callbackUrl', request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.redirect(url);
}

export const config = {
  // Everything except sign-in, the APIs (they answer 401 themselves), and static files.
  matcher: ['/((?!sign-in|api/|_next/|favicon.ico|icon.svg|\\.well-known/).*)'],
};
