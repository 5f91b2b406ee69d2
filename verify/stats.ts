/**
 * How far an observed share may stray from a declared one before it is a mismatch rather than chance.
 * Wilson score interval (it stays inside [0, 1] and behaves at shares of 0 and 1, unlike the normal
 * approximation). Pure.
 */

/** Two-sided 99 %: the standard normal quantile 0.995. */
export const Z99 = 2.5758293035489;

export interface Interval {
    low: number;
    high: number;
}

/** The 99 % interval for the true share after `successes` of `trials`. */
export function wilson(successes: number, trials: number, z = Z99): Interval {
    if (trials <= 0) return { low: 0, high: 1 };
    const p = successes / trials;
    const z2 = z * z;
    const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
    const half = (z / (1 + z2 / trials)) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
    return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Whether the declared share is consistent with what was observed. */
export function consistent(successes: number, trials: number, declared: number): boolean {
    const i = wilson(successes, trials);
    // A small tolerance so a declared 0 or 1 is not rejected by float rounding.
    return declared >= i.low - 1e-9 && declared <= i.high + 1e-9;
}

export const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)} %`;
