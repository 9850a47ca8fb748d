export { FeatureCollection, featureKey, type FeatureKey } from "./feature-collection.js";
