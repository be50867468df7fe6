/** Cursor paging: the server gives the next cursor; the way back is the stack of cursors already used. */
export function Pager({ page, hasNext, onFirst, onPrevious, onNext }: {
  page: number; hasNext: boolean; onFirst: () => void; onPrevious: () => void; onNext: () => void;
}) {
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" onClick={onFirst} disabled={page === 0}>First page</button>
      <button type="button" onClick={onPrevious} disabled={page === 0}>Previous page</button>
      <span aria-live="polite">Page {page + 1}</span>
      <button type="button" onClick={onNext} disabled={!hasNext}>Next page</button>
    </nav>
  );
}
