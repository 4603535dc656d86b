/**
 * The status page's one style sheet, inline (the page loads nothing from anywhere): light and
 * dark from the system's `prefers-color-scheme`, one column that fits a 375 px phone.
 */
export const PAGE_STYLE = `
:root{color-scheme:light dark;--bg:#f5f6f8;--fg:#1b1f24;--muted:#5b6470;--card:#fff;--line:#d6dbe1;--link:#1f5fbf;
--healthy:#2f9e5b;--failing:#d98324;--restarting:#7a5bd5;--gave-up:#cf3439;--paused:#8b96a5;--stopped:#4b5360;--unwatched:#d5d9de;--ok:#2f9e5b;--failed:#cf3439}
@media (prefers-color-scheme:dark){:root{--bg:#101317;--fg:#e5e8ec;--muted:#9aa4b0;--card:#191e24;--line:#2d343c;--link:#7fb0ff;
--healthy:#3dbb6f;--failing:#eb9a3f;--restarting:#9b82f0;--gave-up:#f0585d;--paused:#7d8795;--stopped:#5d6674;--unwatched:#353b44;--ok:#3dbb6f;--failed:#f0585d}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:980px;margin:0 auto;padding:12px}
a{color:var(--link)}
header{display:flex;flex-wrap:wrap;gap:4px 16px;align-items:baseline;justify-content:space-between}
h1{font-size:1.3em;margin:4px 0}
h2{font-size:1.1em;margin:0}
h3{font-size:.95em;margin:12px 0 4px}
.muted,.axis{color:var(--muted);font-size:.88em}
section,.notice{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px;margin:12px 0}
.notice.ok{border-left:5px solid var(--ok)}.notice.failed{border-left:5px solid var(--failed)}
.title{display:flex;flex-wrap:wrap;gap:4px 12px;align-items:baseline}
.state{font-weight:600}.state.healthy{color:var(--healthy)}.state.failing,.state.restarting{color:var(--failing)}.state.gave-up{color:var(--gave-up)}
.state.paused,.state.stopped,.state.unwatched{color:var(--muted)}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0}dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
pre{margin:4px 0;padding:6px 8px;background:var(--bg);border-radius:4px;font-size:.85em;white-space:pre-wrap;overflow-wrap:anywhere}
ul{margin:4px 0;padding-left:20px}li{margin:2px 0;overflow-wrap:anywhere}
.check.ok::before{content:"✓ ";color:var(--ok)}.check.failed::before{content:"✗ ";color:var(--failed)}
svg.timeline{display:block;margin:8px 0 0;overflow:visible}
svg.timeline text{fill:var(--muted);font-size:11px}
svg.timeline .tick{stroke:var(--line)}
.band.healthy{fill:var(--healthy)}.band.failing{fill:var(--failing)}.band.restarting{fill:var(--restarting)}
.band.gave-up{fill:var(--gave-up)}.band.paused{fill:var(--paused)}.band.stopped{fill:var(--stopped)}.band.unwatched{fill:var(--unwatched)}
.mark line{stroke:var(--fg);stroke-width:2}.mark circle{stroke:var(--fg);stroke-width:1.5}.mark.ok circle{fill:var(--card)}.mark.failed circle{fill:var(--failed)}
.legend{display:flex;flex-wrap:wrap;gap:2px 12px;margin:4px 0 0;padding:0;list-style:none;color:var(--muted);font-size:.85em}
.swatch{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:4px;vertical-align:-1px}
.swatch.healthy{background:var(--healthy)}.swatch.failing{background:var(--failing)}.swatch.restarting{background:var(--restarting)}
.swatch.gave-up{background:var(--gave-up)}.swatch.paused{background:var(--paused)}.swatch.stopped{background:var(--stopped)}.swatch.unwatched{background:var(--unwatched)}
.swatch.mark{background:var(--card);border:2px solid var(--fg);border-radius:50%}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin:10px 0 0}.actions form{margin:0}
button,input[type=password],input[type=text]{font:inherit;border-radius:6px;border:1px solid var(--line);padding:6px 12px;background:var(--card);color:var(--fg)}
button{cursor:pointer;min-height:36px}button.primary{background:var(--link);border-color:var(--link);color:#fff}
input[type=password],input[type=text]{width:100%;max-width:420px;display:block;margin:6px 0 10px}
details summary{cursor:pointer}
table{border-collapse:collapse;width:100%;font-size:.92em}th,td{text-align:left;padding:4px 8px 4px 0;border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:anywhere}
.scroll{overflow-x:auto}
`;
