// pdf.js, bundled (no network): opens a document's archive PDF from the shell's page: scheme and
// draws one page onto a canvas. Loaded only when the viewer first shows a PDF, so that it costs
// nothing at start-up.
import { GlobalWorkerOptions, getDocument, type PDFDocumentProxy, type RenderTask } from "pdfjs-dist";
import workerUrl from "pdfjs-dist/build/pdf.worker.min.mjs?url";

GlobalWorkerOptions.workerSrc = workerUrl;

/** Why a PDF could not be opened: the shell's message (which names the document). */
export class PdfError extends Error {}

/** An open PDF, and how to let go of it (its worker and memory). */
export type OpenPdf = { doc: PDFDocumentProxy; close: () => void };

/** Fetches and opens the PDF at `url`. */
export async function openPdf(url: string): Promise<OpenPdf> {
  const response = await fetch(url);
  if (!response.ok) throw new PdfError(await response.text());
  const data = new Uint8Array(await response.arrayBuffer());
  // Fonts a PDF does not embed come from the system, never from the network.
  const task = getDocument({ data, useSystemFonts: true });
  return { doc: await task.promise, close: () => void task.destroy() };
}

/** Starts drawing page `number` of `pdf` onto `canvas`, `width` CSS pixels wide before turning
 * it `rotation`°; the task can be cancelled when another drawing supersedes it. */
export async function drawPage(
  pdf: PDFDocumentProxy,
  number: number,
  canvas: HTMLCanvasElement,
  width: number,
  rotation: number,
): Promise<RenderTask> {
  const page = await pdf.getPage(number);
  const ratio = window.devicePixelRatio || 1;
  const upright = page.getViewport({ scale: 1 });
  const scale = width / upright.width;
  const viewport = page.getViewport({ scale: scale * ratio, rotation: (page.rotate + rotation) % 360 });
  canvas.width = Math.floor(viewport.width);
  canvas.height = Math.floor(viewport.height);
  canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
  canvas.style.height = `${Math.floor(viewport.height / ratio)}px`;
  return page.render({ canvas, viewport });
}
