/**
 * The status page's routes, apart from the page's code: the daemon asks this at every request and
 * loads the page only at the first that is one of them (the page's code stays out of an idle daemon).
 */
export const ACTION_ROUTE = /^\/services\/([^/]+)\/([^/]+)$/;

export function isPagePath(pathname: string): boolean {
  return pathname === "/" || pathname === "/sign-in" || pathname === "/sign-out" || ACTION_ROUTE.test(pathname);
}

/** The routes, for the 404 answer's list. */
export const PAGE_ROUTES = "/ (the status page), /sign-in, /sign-out, POST /services/NAME/ACTION";
