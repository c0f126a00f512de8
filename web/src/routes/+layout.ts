// The UI renders in the browser only: every page needs the signed-in user's data from /trpc, and the
// session cookie is HTTP-only, so the browser carries it and the server-rendered shell needs none of it.
export const ssr = false;
