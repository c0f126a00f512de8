/**
 * The dashboard as a PDF drawn by the cloud's headless Chromium (docs/dashboards.md, "Snapshot PDF"):
 * the variables in the address go along, so the PDF shows what the screen shows.
 */
const VARIABLES = ['plant', 'line', 'machine', 'range', 'shift'] as const;

export function snapshotHref(slug: string, params: URLSearchParams): string {
  const query = new URLSearchParams();
  for (const name of VARIABLES) {
    const value = params.get(name);
    if (value) query.set(name, value);
  }
  const search = query.toString();
  return `/api/dashboards/${encodeURIComponent(slug)}.pdf${search === '' ? '' : `?${search}`}`;
}

/** Fetches the PDF and saves it; a refusal (no Chromium, not found) is thrown with the cloud's message. */
export async function downloadSnapshot(href: string, fallbackName: string): Promise<void> {
  const response = await fetch(href, { credentials: 'same-origin' });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The PDF could not be made (HTTP ${response.status})`);
  }
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1];
  const link = Object.assign(window.document.createElement('a'), {
    href: URL.createObjectURL(await response.blob()),
    download: name ?? fallbackName,
  });
  link.click();
  URL.revokeObjectURL(link.href);
}
