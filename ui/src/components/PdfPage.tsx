// One page of a document's archive PDF, drawn by pdf.js (loaded on first use): the searchable
// PDF the library exports, as the archive will receive it. Says why when it cannot be built (a
// page still awaiting OCR, a document of several files).
import { useEffect, useRef, useState } from "preact/hooks";
import type { PDFDocumentProxy, RenderTask } from "pdfjs-dist";
import type { OpenPdf } from "../pdf/pdf";
import { pdfUrl } from "../api";
import { t } from "../i18n/i18n";

export function PdfPage({
  id,
  page,
  width,
  rotation,
  version,
}: {
  id: number;
  page: number;
  /** CSS pixels, before turning. */
  width: number;
  rotation: number;
  version: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const task = useRef<RenderTask | null>(null);
  const [pdf, setPdf] = useState<PDFDocumentProxy | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    let opened: OpenPdf | null = null;
    setPdf(null);
    setError(null);
    import("../pdf/pdf")
      .then((m) => m.openPdf(pdfUrl(id, version)))
      .then(
        (d) => {
          opened = d;
          if (live) setPdf(d.doc);
          else d.close();
        },
        (e) => live && setError(e instanceof Error ? e.message : String(e)),
      );
    return () => {
      live = false;
      opened?.close();
    };
  }, [id, version]);

  useEffect(() => {
    if (!pdf || !canvas.current) return;
    let live = true;
    task.current?.cancel();
    import("../pdf/pdf")
      .then((m) => m.drawPage(pdf, Math.min(page, pdf.numPages), canvas.current!, width, rotation))
      .then((t) => {
        if (!live) return t.cancel();
        task.current = t;
        return t.promise;
      })
      .catch((e) => {
        // A drawing superseded by the next one is cancelled on purpose.
        if (live && e?.name !== "RenderingCancelledException") setError(e instanceof Error ? e.message : String(e));
      });
    return () => {
      live = false;
    };
  }, [pdf, page, width, rotation]);

  if (error) {
    return (
      <div class="error" role="alert">
        <p>{t("viewer.pdfFailed")}</p>
        <p class="detail">{error}</p>
      </div>
    );
  }
  return (
    <div class="pdf-page">
      {!pdf && <p aria-busy="true">{t("viewer.pdfLoading")}</p>}
      <canvas ref={canvas} role="img" aria-label={t("viewer.pdfPage", { page })} hidden={!pdf} />
    </div>
  );
}
