/** Previous/next buttons and "Page 2 of 4" under the grid. */
export function Pager({ page, pages, onPage }: { page: number; pages: number; onPage: (page: number) => void }) {
  return (
    <nav class="pager" aria-label="Pages">
      <button type="button" class="round small" aria-label="Previous page" title="Previous page" disabled={page === 0} onClick={() => onPage(page - 1)}>
        <span aria-hidden="true">‹</span>
      </button>
      <span class="pager-text">
        Page {page + 1} of {pages}
      </span>
      <button type="button" class="round small" aria-label="Next page" title="Next page" disabled={page >= pages - 1} onClick={() => onPage(page + 1)}>
        <span aria-hidden="true">›</span>
      </button>
    </nav>
  );
}
