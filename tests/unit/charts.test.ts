import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { layoutColumns } from '../../src/lib/server/charts/columns';
import { filesUnder } from '../fixtures/sources';

const months = [
	{ label: 'January 2026', short: 'Jan', value: 0 },
	{ label: 'February 2026', short: 'Feb', value: 7 },
	{ label: 'March 2026', short: 'Mar', value: 14 }
];

describe('the monthly column chart, laid out on the server', () => {
	it('draws each column from the zero line, in proportion to its value', () => {
		const chart = layoutColumns(months);
		const [jan, feb, mar] = chart.columns;
		expect(jan!.height).toBe(0);
		expect(jan!.y).toBe(chart.zero);
		expect(mar!.height).toBeCloseTo(2 * feb!.height, 6);
		for (const c of chart.columns) {
			expect(c.y + c.height).toBeCloseTo(chart.zero, 6);
			expect(c.x).toBeGreaterThanOrEqual(chart.left);
			expect(c.x + c.width).toBeLessThanOrEqual(chart.right);
			expect(c.middle).toBeCloseTo(c.x + c.width / 2, 6);
		}
		// Left to right, in the order given, without overlapping.
		expect(jan!.x + jan!.width).toBeLessThan(feb!.x);
		expect(feb!.x + feb!.width).toBeLessThan(mar!.x);
	});

	it('labels the axis with whole numbers only, inside the plot, from zero up', () => {
		const chart = layoutColumns(months);
		const values = chart.ticks.map((t) => t.value);
		expect(values.every(Number.isInteger)).toBe(true);
		expect(values[0]).toBe(0);
		expect(values).toEqual([...values].sort((a, b) => a - b));
		// The tallest column reaches the top of the scale; every line is drawn inside the plot.
		expect(Math.min(...chart.columns.map((c) => c.y))).toBeLessThan(chart.ticks.at(-1)!.y);
		for (const t of chart.ticks) expect(t.y).toBeLessThanOrEqual(chart.zero);
		expect(chart.ticks.find((t) => t.value === 0)!.y).toBe(chart.zero);
		// A year with one completion in all still has a readable axis: 0 and 1, nothing between.
		expect(
			layoutColumns([{ label: 'May', short: 'May', value: 1 }]).ticks.map((t) => t.value)
		).toEqual([0, 1]);
		// An empty year: flat at zero, no division by zero.
		const empty = layoutColumns(months.map((m) => ({ ...m, value: 0 })));
		expect(empty.columns.every((c) => c.height === 0)).toBe(true);
	});

	it('keeps d3 out of the browser: no component or page imports it', () => {
		const importers = filesUnder('src', '.svelte').filter((f) =>
			/from\s+['"]d3-/.test(readFileSync(f, 'utf8').replace(/import\s+type[^;]+;/g, ''))
		);
		expect(importers.map((f) => f.slice(process.cwd().length + 1))).toEqual([]);
	});
});
