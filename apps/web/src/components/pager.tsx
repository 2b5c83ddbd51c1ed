import { text } from '../strings.js';

/** Previous/next buttons and "Page 2 of 4" under the grid. */
export function Pager({ page, pages, onPage }: { page: number; pages: number; onPage: (page: number) => void }) {
  return (
    <nav class="pager" aria-label={text.pages}>
      <button type="button" class="round small" aria-label={text.previousPage} title={text.previousPage} disabled={page === 0} onClick={() => onPage(page - 1)}>
        <span aria-hidden="true">‹</span>
      </button>
      <span class="pager-text">
        {text.pageOf(page + 1, pages)}
      </span>
      <button type="button" class="round small" aria-label={text.nextPage} title={text.nextPage} disabled={page >= pages - 1} onClick={() => onPage(page + 1)}>
        <span aria-hidden="true">›</span>
      </button>
    </nav>
  );
}
