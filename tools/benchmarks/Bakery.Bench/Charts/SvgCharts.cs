using System.Globalization;
using System.Security;
using System.Text;
using Bakery.Bench.Bakes;
using Bakery.Bench.ColdStart;

namespace Bakery.Bench.Charts;

/// <summary>Plain SVG written here, so the charts need no plotting tool: a cold-start comparison and one bake's timeline.</summary>
internal static class SvgCharts
{
    private const string Font = "font-family=\"sans-serif\" font-size=\"12\"";

    /// <summary>Horizontal bars per variant: median with a p90 whisker (ms), and peak RSS (MB) beside it.</summary>
    public static string ColdStart(IReadOnlyList<ColdStartResult> results, string subtitle)
    {
        const int width = 760, left = 90, barHeight = 26, gap = 22, top = 56, plotWidth = 400;
        var height = top + results.Count * (barHeight + gap) + 40;
        var max = Math.Max(1, results.Max(r => double.IsNaN(r.P90Ms) ? 0 : r.P90Ms)) * 1.1;
        var svg = Begin(width, height);
        Text(svg, 10, 20, "Cold start: process start to first /response (median, whisker = p90)", bold: true);
        Text(svg, 10, 38, subtitle);
        for (var i = 0; i < results.Count; i++)
        {
            var r = results[i];
            var y = top + i * (barHeight + gap);
            var w = Scale(r.MedianMs, max, plotWidth);
            var p90 = Scale(r.P90Ms, max, plotWidth);
            Text(svg, 10, y + 17, r.Variant, bold: true);
            svg.Append(Invariant($"<rect x=\"{left}\" y=\"{y}\" width=\"{w:F1}\" height=\"{barHeight}\" fill=\"{(i == 0 ? "#2b7bb9" : "#c0504d")}\"/>"));
            svg.Append(Invariant($"<line x1=\"{left + w:F1}\" y1=\"{y + barHeight / 2}\" x2=\"{left + p90:F1}\" y2=\"{y + barHeight / 2}\" stroke=\"#333\"/>"));
            svg.Append(Invariant($"<line x1=\"{left + p90:F1}\" y1=\"{y + 6}\" x2=\"{left + p90:F1}\" y2=\"{y + barHeight - 6}\" stroke=\"#333\"/>"));
            Text(svg, left + p90 + 8, y + 17, Invariant($"{r.MedianMs:F0} ms (p90 {r.P90Ms:F0}) · peak RSS {r.MedianPeakRssMb:F1} MB · {r.SizeBytes / 1048576.0:F1} MB on disk"));
        }

        return End(svg);
    }

    /// <summary>One row per state entered, in order, as bars on the bake's own clock (Task = Lambda call, Wait = shortened wait).</summary>
    public static string Timeline(BakeRun bake, string subtitle)
    {
        const int width = 900, left = 190, rowHeight = 16, top = 56, plotWidth = 620;
        var rows = bake.Timeline;
        var height = top + rows.Count * rowHeight + 50;
        var max = Math.Max(1, rows.Count == 0 ? 1 : rows.Max(r => r.EndMs));
        var svg = Begin(width, height);
        Text(svg, 10, 20, Invariant($"One local bake of the seed example: {bake.WallMs / 1000:F2} s wall, {bake.Transitions} transitions, {bake.TaskInvocations} Lambda invocations"), bold: true);
        Text(svg, 10, 38, subtitle);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var y = top + i * rowHeight;
            var x = left + Scale(row.StartMs, max, plotWidth);
            var w = Math.Max(1.5, Scale(row.EndMs - row.StartMs, max, plotWidth));
            var color = row.Type switch { "Task" => "#2b7bb9", "Wait" => "#f0ad4e", "Map" => "#cccccc", _ => "#8fbc8f" };
            Text(svg, 10, y + 12, row.MapIndex is { } index ? $"{row.State} [{index}]" : row.State, size: 11);
            svg.Append(Invariant($"<rect x=\"{x:F1}\" y=\"{y + 2}\" width=\"{w:F1}\" height=\"{rowHeight - 4}\" fill=\"{color}\"><title>{Escape(row.State)} {row.EndMs - row.StartMs:F0} ms</title></rect>"));
            if (row.Type == "Task")
            {
                Text(svg, x + w + 4, y + 12, Invariant($"{row.EndMs - row.StartMs:F0} ms"), size: 10);
            }
        }

        var axisY = top + rows.Count * rowHeight + 14;
        for (var t = 0; t <= 4; t++)
        {
            var ms = max * t / 4;
            Text(svg, left + Scale(ms, max, plotWidth) - 10, axisY, Invariant($"{ms / 1000:F1} s"), size: 10);
        }

        Text(svg, 10, axisY + 20, "blue: Task (a Lambda invocation through the local Lambda service); orange: Wait (shortened); grey/green: Map, Choice, Pass", size: 10);
        return End(svg);
    }

    private static double Scale(double value, double max, double width) => double.IsNaN(value) ? 0 : value / max * width;

    private static StringBuilder Begin(int width, int height) => new StringBuilder()
        .Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">"))
        .Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");

    private static string End(StringBuilder svg) => svg.Append("</svg>\n").ToString();

    private static void Text(StringBuilder svg, double x, double y, string text, bool bold = false, int size = 12) =>
        svg.Append(Invariant($"<text x=\"{x:F1}\" y=\"{y:F1}\" {Font.Replace("12", size.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)}{(bold ? " font-weight=\"bold\"" : "")}>{Escape(text)}</text>"));

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
