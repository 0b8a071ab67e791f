// Occupied concurrent seats over time with the licensed total of each moment as a line,
// refusals and waits as bars on their own axis (S11), a tooltip that reads out the point
// under the cursor, and under the chart the plain list of when seats ran out.
import { useEffect, useRef, useState } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { api, errorText, type Shortage, type UsagePoint } from "../api";
import { useI18n } from "../i18n";
import { ErrorMessage } from "./ui";

const HEIGHT = 200;

const COLORS = {
  occupied: "#0f9d8a",
  occupiedFill: "rgba(15, 157, 138, 0.16)",
  total: "#3451d1",
  refusals: "#d13b3b",
  waits: "#b87500",
  grid: "#eceef2",
  axis: "#5b6577",
};

interface Hover {
  left: number;
  top: number;
  point: UsagePoint;
}

export function UsageChart({ points, label, range }: { points: UsagePoint[]; label: string; range: string }) {
  const container = useRef<HTMLDivElement>(null);
  const { t, lang, formatDuration } = useI18n();
  const [hover, setHover] = useState<Hover | null>(null);
  const longRange = range === "week";
  const tooltipTime = new Intl.DateTimeFormat(lang, longRange ? { weekday: "short", hour: "numeric", minute: "2-digit" } : { hour: "numeric", minute: "2-digit" });

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const xs = points.map((p) => new Date(p.t).getTime() / 1000);
    const data: uPlot.AlignedData = [
      xs,
      points.map((p) => p.occupiedMax),
      points.map((p) => p.total),
      points.map((p) => (p.refusals > 0 ? p.refusals : null)),
      points.map((p) => (p.waits > 0 ? p.waits : null)),
    ];
    const maxSeats = Math.max(1, ...points.map((p) => Math.max(p.total, p.occupiedMax)));
    const maxEvents = Math.max(1, ...points.map((p) => Math.max(p.refusals, p.waits)));
    const timeFormat =
      range === "week"
        ? new Intl.DateTimeFormat(lang, { weekday: "short", day: "numeric" })
        : new Intl.DateTimeFormat(lang, { hour: "numeric", minute: "2-digit" });
    const hasEvents = points.some((p) => p.refusals > 0 || p.waits > 0);
    const bars = (offset: number) => uPlot.paths.bars?.({ size: [0.35, 14], align: offset as 1 | -1 });

    const opts: uPlot.Options = {
      width: Math.max(240, el.clientWidth),
      height: HEIGHT,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 7 } },
      padding: [12, hasEvents ? 4 : 12, 0, 0],
      scales: {
        x: { time: true },
        seats: { range: () => [0, Math.ceil(maxSeats * 1.15)] },
        events: { range: () => [0, Math.ceil(maxEvents * 1.25)] },
      },
      hooks: {
        setCursor: [
          (u) => {
            const i = u.cursor.idx;
            if (i === null || i === undefined || u.cursor.left === undefined || u.cursor.left < 0) {
              setHover(null);
              return;
            }
            setHover({ left: u.cursor.left, top: u.valToPos(points[i].occupiedMax, "seats"), point: points[i] });
          },
        ],
      },
      axes: [
        {
          stroke: COLORS.axis,
          grid: { stroke: COLORS.grid, width: 1 },
          ticks: { stroke: COLORS.grid, width: 1 },
          font: "12px system-ui, sans-serif",
          values: (_u, splits) => splits.map((s) => timeFormat.format(new Date(s * 1000))),
          space: 70,
        },
        {
          scale: "seats",
          stroke: COLORS.axis,
          grid: { stroke: COLORS.grid, width: 1 },
          ticks: { show: false },
          font: "12px system-ui, sans-serif",
          size: 50,
          label: t.seatsAxis,
          labelSize: 18,
          labelFont: "12px system-ui, sans-serif",
          values: (_u, splits) => splits.map((s) => (Number.isInteger(s) ? String(s) : "")),
        },
        ...(hasEvents
          ? [
              {
                scale: "events",
                side: 1,
                stroke: COLORS.refusals,
                grid: { show: false },
                ticks: { show: false },
                font: "12px system-ui, sans-serif",
                size: 50,
                label: t.eventsAxis,
                labelSize: 18,
                labelFont: "12px system-ui, sans-serif",
                values: (_u: uPlot, splits: number[]) => splits.map((s) => (Number.isInteger(s) ? String(s) : "")),
              } satisfies uPlot.Axis,
            ]
          : []),
      ],
      series: [
        {},
        {
          label: t.occupiedSeries,
          scale: "seats",
          stroke: COLORS.occupied,
          fill: COLORS.occupiedFill,
          width: 2,
          paths: uPlot.paths.stepped?.({ align: 1 }),
          points: { show: false },
        },
        // The total of each moment, stepped: licences change at an instant.
        { label: t.totalSeries, scale: "seats", stroke: COLORS.total, width: 2, dash: [6, 4], paths: uPlot.paths.stepped?.({ align: 1 }), points: { show: false } },
        { label: t.refusalsSeries, scale: "events", stroke: COLORS.refusals, fill: "rgba(209, 59, 59, 0.75)", paths: bars(-1), points: { show: false } },
        { label: t.waitsSeries, scale: "events", stroke: COLORS.waits, fill: "rgba(184, 117, 0, 0.7)", paths: bars(1), points: { show: false } },
      ],
    };
    const plot = new uPlot(opts, data, el);
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(240, el.clientWidth), height: HEIGHT }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
      setHover(null);
    };
  }, [points, range, t, lang]);

  const width = container.current?.clientWidth ?? 0;
  return (
    <figure className="chart">
      <div className="chart-frame">
        <div ref={container} className="chart-canvas" role="img" aria-label={label} />
        {hover && (
          <div
            className="chart-tooltip"
            role="tooltip"
            style={{ left: Math.min(hover.left + 64, Math.max(0, width - 200)), top: Math.max(0, Math.min(hover.top - 10, HEIGHT - 110)) }}
          >
            <div className="chart-tooltip-time">{tooltipTime.format(new Date(hover.point.t))}</div>
            <div>{t.tooltipOccupied(hover.point.occupiedMax, hover.point.total)}</div>
            {hover.point.refusals > 0 && <div className="chart-tooltip-refusals">{t.tooltipRefusals(hover.point.refusals)}</div>}
            {hover.point.waits > 0 && (
              <div className="chart-tooltip-waits">
                {t.tooltipWaits(hover.point.waits, hover.point.waitP95Seconds === null ? null : formatDuration(hover.point.waitP95Seconds))}
              </div>
            )}
          </div>
        )}
      </div>
      <figcaption className="chart-legend">
        <span>
          <i className="swatch swatch-area" style={{ background: COLORS.occupiedFill, borderColor: COLORS.occupied }} />
          {t.occupiedSeries}
        </span>
        <span>
          <i className="swatch swatch-dash" style={{ borderColor: COLORS.total }} />
          {t.totalSeries}
        </span>
        <span>
          <i className="swatch swatch-bar" style={{ background: COLORS.refusals }} />
          {t.refusalsSeries}
        </span>
        <span>
          <i className="swatch swatch-bar" style={{ background: COLORS.waits }} />
          {t.waitsSeries}
        </span>
      </figcaption>
    </figure>
  );
}

/** "Ran out at 04:48 for 3 min — 4 agents refused, 1 waited 2 min": the window's shortages, newest first. */
export function ShortageList({ product, from, to, refreshKey, longRange }: { product: string; from: string; to: string; refreshKey: string; longRange: boolean }) {
  const { t, lang, formatDuration } = useI18n();
  const [items, setItems] = useState<Shortage[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const time = new Intl.DateTimeFormat(lang, longRange ? { weekday: "short", hour: "numeric", minute: "2-digit" } : { hour: "numeric", minute: "2-digit" });

  useEffect(() => {
    const controller = new AbortController();
    api<{ items: Shortage[] }>("/usage/shortages", { query: { product, from, to }, signal: controller.signal })
      .then((answer) => {
        setItems(answer.items);
        setError(null);
      })
      .catch((e) => {
        if ((e as Error).name !== "AbortError") setError(errorText(e));
      });
    return () => controller.abort();
  }, [product, from, to, refreshKey]);

  if (error) return <ErrorMessage>{error}</ErrorMessage>;
  if (items === null) return null;
  const shown = [...items].reverse();
  return (
    <div className="shortages">
      <h4 className="shortages-title">{t.shortagesTitle}</h4>
      {shown.length === 0 ? (
        <p className="muted">{t.shortagesNone}</p>
      ) : (
        <ul className="shortage-list">
          {shown.map((s) => (
            <li key={s.start}>
              <time dateTime={s.start}>{t.shortageWhen(time.format(new Date(s.start)), s.durationSeconds > 0 ? formatDuration(s.durationSeconds) : null, s.end === null)}</time>
              {" — "}
              {t.shortageWho(s.refusals, s.waits, s.waitMaxSeconds === null ? null : formatDuration(s.waitMaxSeconds))}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
