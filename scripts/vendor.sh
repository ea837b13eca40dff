#!/usr/bin/env bash
# Copies the pinned front-end libraries (scripts/package.json + package-lock.json) from npm into
# internal/web/static/vendor, with their licences. The result is committed, so `go run` needs no
# Node. Run it after changing a version in scripts/package.json.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts
out=../internal/web/static/vendor
rm -rf "$out" && mkdir -p "$out/licenses"
nm=node_modules
cp $nm/htmx.org/dist/htmx.min.js "$out/htmx.min.js"
cp $nm/htmx-ext-sse/dist/sse.min.js "$out/htmx-sse.min.js" 2>/dev/null || cp $nm/htmx-ext-sse/dist/sse.js "$out/htmx-sse.min.js"
cp $nm/alpinejs/dist/cdn.min.js "$out/alpine.min.js"
cp $nm/@alpinejs/sort/dist/cdn.min.js "$out/alpine-sort.min.js"
cp $nm/chart.js/dist/chart.umd.min.js "$out/chart.umd.min.js"
cp $nm/@tabler/core/dist/css/tabler.min.css "$out/tabler.min.css"
cp $nm/@tabler/core/dist/js/tabler.min.js "$out/tabler.min.js"
# The full icon sprite is 2 MB: keep only the icons the UI names (icons.txt, one id a line).
node -e '
const fs=require("fs");
const src=fs.readFileSync(process.argv[1],"utf8");
const want=fs.readFileSync(process.argv[2],"utf8").split(/\s+/).filter(Boolean);
let out="<svg xmlns=\"http://www.w3.org/2000/svg\" style=\"display:none\">";
for (const id of want){
  const m=src.match(new RegExp("<symbol[^>]*id=\"tabler-"+id+"\"[\\s\\S]*?</symbol>"));
  if(!m){console.error("icon not found: "+id);process.exit(1)}
  out+=m[0];
}
fs.writeFileSync(process.argv[3],out+"</svg>\n");
' $nm/@tabler/icons-sprite/dist/tabler-sprite.svg icons.txt "$out/tabler-sprite.svg"
for p in htmx.org htmx-ext-sse alpinejs @alpinejs/sort chart.js @tabler/core @tabler/icons-sprite sortablejs @kurkle/color; do
  f=$(ls $nm/$p/LICENSE* 2>/dev/null | head -1 || true)
  dst="$out/licenses/$(echo $p | tr '/@' '__').LICENSE"
  if [ -n "$f" ]; then cp "$f" "$dst"
  else node -e 'const p=require(process.argv[1]);console.log(p.name+" "+p.version+" — licence: "+p.license+" ("+(p.homepage||"")+")")' "./$nm/$p/package.json" > "$dst"; fi
done
echo "vendor: copied into $out"
