// Occupied concurrent seats over time with the licensed total as a line, refusals and
// waits marked as points on their own axis (S11).
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { UsagePoint } from "../api";
import { useI18n } from "../i18n";

const HEIGHT = 200;

const COLORS = {
  occupied: "#0f9d8a",
  occupiedFill: "rgba(15, 157, 138, 0.16)",
  total: "#3451d1",
  refusals: "#d13b3b",
  waits: "#d98a00",
  grid: "#eceef2",
  axis: "#5b6577",
};

export function UsageChart({ points, label, range }: { points: UsagePoint[]; label: string; range: string }) {
  const container = useRef<HTMLDivElement>(null);
  const { t, lang } = useI18n();

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
    const pointsOnly = () => null;

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
        { label: t.totalSeries, scale: "seats", stroke: COLORS.total, width: 2, dash: [6, 4], points: { show: false } },
        {
          label: t.refusalsSeries,
          scale: "events",
          stroke: COLORS.refusals,
          fill: COLORS.refusals,
          paths: pointsOnly,
          points: { show: true, size: 8, fill: COLORS.refusals, stroke: "#fff", width: 1.5 },
        },
        {
          label: t.waitsSeries,
          scale: "events",
          stroke: COLORS.waits,
          fill: COLORS.waits,
          paths: pointsOnly,
          points: { show: true, size: 8, fill: COLORS.waits, stroke: "#fff", width: 1.5 },
        },
      ],
    };
    const plot = new uPlot(opts, data, el);
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(240, el.clientWidth), height: HEIGHT }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [points, range, t, lang]);

  return (
    <figure className="chart">
      <div ref={container} className="chart-canvas" role="img" aria-label={label} />
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
          <i className="swatch swatch-dot" style={{ background: COLORS.refusals }} />
          {t.refusalsSeries}
        </span>
        <span>
          <i className="swatch swatch-dot" style={{ background: COLORS.waits }} />
          {t.waitsSeries}
        </span>
      </figcaption>
    </figure>
  );
}
