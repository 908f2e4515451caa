// Progress bar for long machine runs, on stderr only (stdout stays clean for
// --json). It appears once a run has lasted `delayMs` (default 1 s), and only
// when stderr is a terminal or the user forced it with --progress; short runs
// and pipelines never see it.

import { SingleBar } from "cli-progress";

/** Non-TTY output (--progress into a file or pipe) gets one line per this many ms. */
const NON_TTY_LINE_MS = 2000;

export type ProgressStream = NodeJS.WritableStream & { isTTY?: boolean };

export type CreateProgressParameters = {
  stream: ProgressStream;
  /** Step budget of the run (the bar's 100%). */
  totalSteps: number;
  /** --progress: show the bar even when the stream is not a TTY. */
  force?: boolean;
  /** Unit: milliseconds. */
  delayMs?: number;
  /** Clock, injectable for tests. Unit: milliseconds. */
  now?: () => number;
};

export type Progress = {
  /** Reports the steps executed so far. */
  update(steps: number): void;
  /** Removes timers and finishes the line; safe to call more than once. */
  stop(): void;
  /** True once the bar has been drawn. */
  readonly shown: boolean;
};

export function createProgress({
  stream,
  totalSteps,
  force = false,
  delayMs = 1000,
  now = Date.now,
}: CreateProgressParameters): Progress {
  const enabled = force || stream.isTTY === true;
  const start = now();
  let bar: SingleBar | undefined;
  let stopped = false;
  let lastLine = 0;
  return {
    get shown() {
      return bar !== undefined;
    },
    update(steps: number) {
      if (!enabled || stopped) return;
      const t = now();
      if (!bar) {
        if (t - start < delayMs) return;
        bar = new SingleBar({
          stream,
          format: "steps [{bar}] {percentage}% of budget | {value}/{total} | {rate} M steps/s",
          barsize: 30,
          // The summary printed next says it all; a finished bar would only be noise.
          clearOnComplete: true,
          fps: 5,
          noTTYOutput: !stream.isTTY,
          notTTYSchedule: NON_TTY_LINE_MS,
          formatValue: (v, _o, type) =>
            type === "value" || type === "total" ? v.toLocaleString("en-US") : String(v),
        });
        bar.start(totalSteps, steps, { rate: (steps / ((t - start) / 1000) / 1e6).toFixed(1) });
        lastLine = t;
      }
      const seconds = (t - start) / 1000;
      bar.update(steps, { rate: seconds > 0 ? (steps / seconds / 1e6).toFixed(1) : "-" });
      // cli-progress redraws from a timer, which a synchronous run starves; in
      // TTY mode update() redraws itself, in non-TTY mode we do it every 2 s.
      if (!stream.isTTY && t - lastLine >= NON_TTY_LINE_MS) {
        lastLine = t;
        bar.render();
      }
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar?.stop();
    },
  };
}
