/** The few DOM helpers the page needs: look up by id, and write only what changed. */

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`operator page: no #${id} in index.html`);
  return element as T;
}

/** Writing the same text again still costs a layout; most frames change nothing. */
export function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

export function setClass(element: HTMLElement, className: string): void {
  if (element.className !== className) element.className = className;
}

export interface Row {
  readonly cells: readonly string[];
  readonly className?: string;
  /** Cell text read by the test and by screen readers as the row's name. */
  readonly key?: string;
}

const rendered = new WeakMap<HTMLElement, string>();

/** Replaces `body`'s rows when their content differs from the last call (text only: no HTML injection). */
export function renderRows(body: HTMLTableSectionElement, rows: readonly Row[]): void {
  const signature = JSON.stringify(rows);
  if (rendered.get(body) === signature) return;
  rendered.set(body, signature);
  body.replaceChildren(
    ...rows.map((row) => {
      const tr = document.createElement("tr");
      if (row.className) tr.className = row.className;
      if (row.key !== undefined) tr.dataset.key = row.key;
      for (const text of row.cells) {
        const td = document.createElement("td");
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    }),
  );
}
