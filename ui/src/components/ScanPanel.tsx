// Scanning: pick a scanner and a scan profile (both remembered), then scan. The scanner list is
// looked up when the panel opens and on request (a scanner plugged in later).
import { useEffect, useState } from "preact/hooks";
import { api, type JobEvent, type ProfileView, type ScannerView } from "../api";
import { t } from "../i18n/i18n";
import { ErrorBox } from "./ErrorBox";

const REMEMBER = "skladnica.scan";

type Props = {
  running: boolean;
  onScan: (start: (onEvent: (e: JobEvent) => void) => Promise<number>) => void;
};

export function ScanPanel({ running, onScan }: Props) {
  const remembered = (() => {
    try {
      return JSON.parse(localStorage.getItem(REMEMBER) ?? "{}") as { device?: string; profile?: string };
    } catch {
      return {};
    }
  })();
  const [scanners, setScanners] = useState<ScannerView[] | null>(null);
  const [profiles, setProfiles] = useState<ProfileView[]>([]);
  const [device, setDevice] = useState(remembered.device ?? "");
  const [profile, setProfile] = useState(remembered.profile ?? "dokumenty");
  const [error, setError] = useState<unknown>(null);

  const look = async () => {
    setScanners(null);
    setError(null);
    try {
      const found = await api.scanners();
      setScanners(found);
      setDevice((d) => (found.some((s) => s.name === d) ? d : (found.find((s) => !s.error)?.name ?? "")));
    } catch (e) {
      setScanners([]);
      setError(e);
    }
  };
  useEffect(() => {
    look();
    api
      .scanProfiles()
      .then((p) => {
        setProfiles(p);
        setProfile((name) => (p.some((x) => x.name === name) ? name : (p[0]?.name ?? "")));
      })
      .catch(setError);
  }, []);

  const chosen = scanners?.find((s) => s.name === device);
  const scan = (e: Event) => {
    e.preventDefault();
    if (!device || !profile) return;
    localStorage.setItem(REMEMBER, JSON.stringify({ device, profile }));
    onScan((onEvent) => api.scan(device, profile, onEvent));
  };

  return (
    <section class="panel" aria-labelledby="scan-title">
      <h2 id="scan-title">{t("scan.title")}</h2>
      <ErrorBox error={error} onClose={() => setError(null)} />
      {scanners === null ? (
        <p class="muted" role="status">
          {t("scan.looking")}
        </p>
      ) : scanners.length === 0 ? (
        <div class="empty">
          <p>{t("scan.none")}</p>
          <button type="button" onClick={look}>
            {t("scan.refresh")}
          </button>
        </div>
      ) : (
        <form class="scan-form" onSubmit={scan}>
          <label for="scan-device">{t("scan.scanner")}</label>
          <select id="scan-device" value={device} onChange={(e) => setDevice(e.currentTarget.value)}>
            {scanners.map((s) => (
              <option key={s.name} value={s.name} disabled={s.error !== null}>
                {s.label || s.name} ({s.name}){s.error ? ` — ${t("scan.unavailable")}` : ""}
              </option>
            ))}
          </select>
          <label for="scan-profile">{t("scan.profile")}</label>
          <select id="scan-profile" value={profile} onChange={(e) => setProfile(e.currentTarget.value)}>
            {profiles.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name} — {p.description}
              </option>
            ))}
          </select>
          {chosen && (
            <p class="muted small">
              {t("scan.offers", { sources: chosen.sources.join(", ") || "—", modes: chosen.modes.join(", ") || "—" })}
            </p>
          )}
          <div class="actions">
            <button type="submit" class="primary" disabled={running || !device || !profile}>
              {t("scan.start")}
            </button>
            <button type="button" onClick={look} disabled={running}>
              {t("scan.refresh")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
