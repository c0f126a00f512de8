/**
 * Marks a widget `data-widget-ready` once it first shows something other than a loading state, so a
 * headless browser knows when to print a dashboard (docs/dashboards.md, "Snapshot PDF"). A widget is
 * still waiting while its body is empty (its data not asked for yet), shows a loading status
 * (`role="status"`, as LoadState's spinner) or a placeholder marked `data-waiting`. An error counts as
 * shown: the snapshot prints it rather than wait for data that will not come. The mark stays on later
 * refreshes.
 */
export function isWaiting(body: Element): boolean {
  return body.childElementCount === 0 || body.querySelector('[role="status"], [data-waiting]') !== null;
}

/** A Svelte action on the widget's element; its body is the child `.widget-body`. */
export function widgetReady(node: HTMLElement) {
  const check = () => {
    const element = node.querySelector(':scope > .widget-body');
    if (element === null || isWaiting(element)) return false;
    node.setAttribute('data-widget-ready', '');
    observer.disconnect();
    return true;
  };
  const observer = new MutationObserver(() => void check());
  if (!check())
    observer.observe(node, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['role', 'data-waiting'],
    });
  return { destroy: () => observer.disconnect() };
}
