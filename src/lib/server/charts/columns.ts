import { scaleBand, scaleLinear } from 'd3-scale';

export interface Column {
	label: string;
	short: string;
	value: number;
}

/** A column chart laid out on the server: the component draws it as it is, with no scale code. */
export interface ColumnChartLayout {
	width: number;
	height: number;
	/** The plot's left and right edges and its zero line. */
	left: number;
	right: number;
	zero: number;
	/** Whole numbers only: a count of completions has no half. */
	ticks: { value: number; y: number }[];
	columns: (Column & { x: number; y: number; width: number; height: number; middle: number })[];
	/** Where the short labels under the columns sit. */
	labelY: number;
}

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { top: 16, right: 8, bottom: 28, left: 36 };

/**
 * Lays out monthly (or any) columns with d3-scale. Done here rather than in the component so that
 * the scale code is not sent to the browser: the chart is SVG drawn on the server and needs no
 * JavaScript, and the dashboard is read on phones.
 */
export function layoutColumns(data: Column[]): ColumnChartLayout {
	const max = Math.max(1, ...data.map((d) => d.value));
	const x = scaleBand<string>()
		.domain(data.map((d) => d.label))
		.range([PAD.left, WIDTH - PAD.right])
		.padding(0.2);
	const y = scaleLinear()
		.domain([0, max])
		.nice()
		.range([HEIGHT - PAD.bottom, PAD.top]);
	const zero = y(0);
	return {
		width: WIDTH,
		height: HEIGHT,
		left: PAD.left,
		right: WIDTH - PAD.right,
		zero,
		ticks: y
			.ticks(4)
			.filter((t) => Number.isInteger(t))
			.map((t) => ({ value: t, y: y(t) })),
		columns: data.map((d) => {
			const left = x(d.label) ?? 0;
			return {
				...d,
				x: left,
				y: y(d.value),
				width: x.bandwidth(),
				height: zero - y(d.value),
				middle: left + x.bandwidth() / 2
			};
		}),
		labelY: HEIGHT - 10
	};
}
