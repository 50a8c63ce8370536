// The page viewer: one page at a time with zoom and rotation, page thumbnails, and the search
// hit's words highlighted on the page image from OCR's word boxes; or the same page of the
// archive PDF, drawn by pdf.js.
import { useEffect, useState } from "preact/hooks";
import { api, pageUrl } from "../api";
import type { WordBox } from "../bindings";
import { t } from "../i18n/i18n";
import { PdfPage } from "./PdfPage";

const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];

export function PageViewer({
  id,
  pages,
  page,
  onPage,
  query,
  version,
}: {
  id: number;
  pages: number;
  page: number;
  onPage: (p: number) => void;
  query: string;
  version: string;
}) {
  const [zoom, setZoom] = useState(2);
  const [rotation, setRotation] = useState(0);
  const [boxes, setBoxes] = useState<WordBox[]>([]);
  const [failed, setFailed] = useState(false);
  const [asPdf, setAsPdf] = useState(false);

  useEffect(() => {
    setFailed(false);
    if (!query.trim()) {
      setBoxes([]);
      return;
    }
    api.pageWords(id, page, query).then(setBoxes, () => setBoxes([]));
  }, [id, page, query, version]);

  const scale = ZOOMS[zoom];
  const turned = rotation % 180 !== 0;
  return (
    <div class="viewer">
      <div class="toolbar" role="toolbar" aria-label={t("viewer.tools")}>
        <button type="button" onClick={() => onPage(page - 1)} disabled={page <= 1}>
          {t("viewer.previous")}
        </button>
        <span aria-live="polite">{t("viewer.pageOf", { page, pages })}</span>
        <button type="button" onClick={() => onPage(page + 1)} disabled={page >= pages}>
          {t("viewer.next")}
        </button>
        <button
          type="button"
          aria-label={t("viewer.zoomOut")}
          disabled={zoom === 0}
          onClick={() => setZoom(zoom - 1)}
        >
          −
        </button>
        <span>{Math.round(scale * 100)} %</span>
        <button
          type="button"
          aria-label={t("viewer.zoomIn")}
          disabled={zoom === ZOOMS.length - 1}
          onClick={() => setZoom(zoom + 1)}
        >
          +
        </button>
        <button type="button" onClick={() => setRotation((rotation + 90) % 360)}>
          {t("viewer.rotate")}
        </button>
        <span class="segmented" role="group" aria-label={t("viewer.show")}>
          <button type="button" aria-pressed={!asPdf} onClick={() => setAsPdf(false)}>
            {t("viewer.image")}
          </button>
          <button type="button" aria-pressed={asPdf} onClick={() => setAsPdf(true)}>
            {t("viewer.pdf")}
          </button>
        </span>
        {boxes.length > 0 && !asPdf && (
          <span class="state ok">{t("viewer.hits", { n: boxes.length })}</span>
        )}
      </div>
      <div class="page-area">
        {asPdf ? (
          <PdfPage id={id} page={page} width={30 * 15 * scale} rotation={rotation} version={version} />
        ) : failed ? (
          <p class="error">{t("viewer.cannotShow")}</p>
        ) : (
          <div
            class="page"
            style={{
              width: `${(turned ? 42 : 30) * scale}rem`,
            }}
          >
            <div class="page-inner" style={{ transform: `rotate(${rotation}deg)` }}>
              <img
                src={pageUrl(id, page, 1800, version)}
                alt={t("viewer.pageImage", { page })}
                onError={() => setFailed(true)}
              />
              {boxes.map((b, i) => (
                <span
                  key={i}
                  class="hit-box"
                  aria-hidden="true"
                  style={{
                    left: `${(b.left ?? 0) * 100}%`,
                    top: `${(b.top ?? 0) * 100}%`,
                    width: `${(b.width ?? 0) * 100}%`,
                    height: `${(b.height ?? 0) * 100}%`,
                  }}
                />
              ))}
            </div>
          </div>
        )}
      </div>
      {pages > 1 && (
        <ol class="thumbs" aria-label={t("viewer.thumbnails")}>
          {Array.from({ length: pages }, (_, i) => i + 1).map((p) => (
            <li key={p}>
              <button
                type="button"
                aria-current={p === page ? "true" : undefined}
                aria-label={t("viewer.goToPage", { page: p })}
                onClick={() => onPage(p)}
              >
                <img src={pageUrl(id, p, 200, version)} alt="" loading="lazy" />
              </button>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
