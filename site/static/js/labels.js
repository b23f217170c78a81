// The core's vocabularies as the page shows them: names of segments,
// classes, tiers, stages, tags and playbooks in the page's language, the
// orders in which tiers and stages are listed, and the column roles.

import { state } from './state.js';
import { t, listOf } from './i18n.js';

// The value tiers and lifecycle stages, in the order they are shown: the
// core's lists (tier.Names, lifecycle.Names), which the build writes into
// presets.json and setVocabulary reads.
export const tierOrder = [];
export const stageOrder = [];

export function setVocabulary(v) {
  tierOrder.splice(0, tierOrder.length, ...v.tiers);
  stageOrder.splice(0, stageOrder.length, ...v.stages);
}

// The roles the Columns panel assigns, required ones first.
export const mapRoles = ['customer', 'date', 'amount', 'order', 'status', 'refund', 'paid_date', 'quantity', 'unit_price', 'discount', 'channel'];
export const requiredRoles = new Set(['customer', 'date', 'amount']);
export const missingList = (roles) => listOf(roles.map((r) => t(`missing_${r}`)));

// encodingLabel is a text encoding's name (UTF-8, GB18030…).
export const encodingLabel = (e) => (e === 'windows-1252' ? 'Windows-1252' : String(e).toUpperCase());

// segKind is what the scheme's groups are: the eight classes or segments.
export const segKind = () => (state.scenario.segments.scheme === 'rfm8' ? 'class' : 'segment');

// pbLabel is a playbook preset's name.
export const pbLabel = (name) => (!name ? t('pb_ecommerce') : state.dict.en[`pb_${name}`] ? t(`pb_${name}`) : name);

// Labels of segments, classes, tiers, stages and tags in the current language.
export function labelOf(kind, name) {
  const lang = state.lang;
  if (kind === 'tier' || kind === 'stage') return t(`${kind}_${name}`);
  if (kind === 'tag') {
    const tag = (state.presets['tags.default'] || []).find((x) => x.name === name);
    return tag?.label?.[lang] || name;
  }
  const scheme = state.scenario?.segments?.scheme;
  const lists = [];
  if (kind === 'segment' && scheme === 'custom') lists.push(state.scenario.segments.custom?.rules || []);
  lists.push(state.presets['schemes.rfm11']?.rules || [], state.presets['schemes.rfm8']?.classes || []);
  for (const list of lists) {
    const hit = list.find((x) => x.name === name);
    if (hit?.label) return typeof hit.label === 'string' ? hit.label : hit.label[lang] || name;
  }
  // The catch-all segment of a scheme.
  for (const sc of [kind === 'segment' && scheme === 'custom' ? state.scenario.segments.custom : null, state.presets['schemes.rfm11']]) {
    if (sc?.default === name && sc.default_label) return sc.default_label[lang] || name;
  }
  return name;
}

// actionLabel is a playbook action's display name in the page's language
// (its name when the presets do not name it, as in a custom playbook);
// channelLabel the same for a channel.
export const actionLabel = (name) => state.presets['labels.actions']?.actions?.[name]?.[state.lang] || name;
export const channelLabel = (name) => state.presets['labels.actions']?.channels?.[name]?.[state.lang] || name;

// actionOf is the suggested action of a segment or class of the presets.
export function actionOf(name) {
  for (const list of [state.presets['schemes.rfm11']?.rules || [], state.presets['schemes.rfm8']?.classes || []]) {
    const hit = list.find((x) => x.name === name);
    if (hit?.action) return hit.action[state.lang] || '';
  }
  return '';
}
