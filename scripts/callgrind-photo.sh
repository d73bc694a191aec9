#!/usr/bin/env bash
# Instructions per photo for each stage of the Fashion-MNIST app's worker work, counted by
# callgrind (repeatable on a busy machine, unlike time): each stage runs over every file in
# PHOTOS once and three times; the difference of the two totals / (2 × photos) is the stage's cost
# per photo, without Node's start-up and the setup.
# Usage: scripts/callgrind-photo.sh PHOTOS [stage ...]   (PHOTOS from scripts/profile-photo.ts --write)
set -euo pipefail
photos=${1:?usage: scripts/callgrind-photo.sh PHOTOS [stage ...]}
shift
stages=("${@:-decode analyse seen found mirror}")
n=$(ls "$photos" | wc -l)
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null node_modules/.bin/node --conditions=vitrine-source --single-threaded \
    scripts/profile-photo.ts --photos "$photos" --stage "$1" --repeat "$2" 2>&1 | sed -n 's/.*I *refs: *//p' | tr -d ,
}
for stage in ${stages[@]}; do
  one=$(count "$stage" 1)
  three=$(count "$stage" 3)
  echo "$stage $(( (three - one) / (2 * n) )) instructions per photo ($n photos; totals $one, $three)"
done
