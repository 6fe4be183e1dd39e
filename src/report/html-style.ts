/** The page's own style (uPlot's is inlined before it). Print-friendly, no web fonts. */
export const HTML_STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 0 auto; padding: 16px 24px; max-width: 1440px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; border-bottom: 1px solid #ddd; padding-bottom: 4px; margin-top: 28px; }
h3 { font-size: 15px; margin: 18px 0 6px; } h4 { font-size: 14px; margin: 12px 0 4px; font-weight: 600; }
dl { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 8px 0; } dt { color: #666; } dd { margin: 0 0 0 -12px; font-weight: 600; }
.badge { display: inline-block; font-size: 12px; padding: 1px 8px; border-radius: 10px; color: #fff; vertical-align: middle; }
.badge.valid { background: #2e7d32; } .badge.invalid { background: #c62828; } .badge.unknown { background: #8d6e00; }
.evidence { color: #444; margin: 4px 0; }
table { border-collapse: collapse; margin: 6px 0 10px; font-size: 13px; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; } th { background: #f5f5f5; }
td { font-variant-numeric: tabular-nums; word-break: break-all; }
.more { color: #666; font-style: italic; margin: 0 0 8px; }
.warnings li { color: #8d6e00; }
.panel { margin: 8px 0 14px; } .panel h3 { margin: 6px 0 2px; }
.fault-band { position: absolute; top: 0; bottom: 0; background: rgba(214, 39, 40, 0.10); border-left: 1px solid rgba(214, 39, 40, 0.6); border-right: 1px solid rgba(214, 39, 40, 0.3); pointer-events: none; overflow: visible; }
.fault-band.unhealed { background: repeating-linear-gradient(45deg, rgba(214, 39, 40, 0.10), rgba(214, 39, 40, 0.10) 6px, rgba(214, 39, 40, 0.04) 6px, rgba(214, 39, 40, 0.04) 12px); }
.fault-label { position: absolute; top: 2px; left: 3px; font-size: 11px; color: #a31515; white-space: nowrap; background: rgba(255, 255, 255, 0.75); padding: 0 2px; }
.rebalance-mark, .recovery-mark { position: absolute; top: 0; bottom: 0; width: 7px; margin-left: -3px; cursor: help; }
.rebalance-mark { background: linear-gradient(to right, transparent 3px, rgba(23, 190, 207, 0.85) 3px, rgba(23, 190, 207, 0.85) 4px, transparent 4px); }
.recovery-mark { bottom: auto; height: 12px; background: linear-gradient(to right, transparent 2px, #2ca02c 2px, #2ca02c 5px, transparent 5px); }
.chart-error { color: #c62828; font-weight: 600; }
.checker { margin-bottom: 14px; }
footer { margin-top: 32px; color: #888; font-size: 12px; }
`;
