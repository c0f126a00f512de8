import type { trpc } from './trpc';

/*
 * The shapes the API returns, inferred from the cloud's router through the client, so a change in the
 * cloud shows up here as a type error rather than at run time. Type-only: nothing here runs.
 */
type Client = typeof trpc;

export type Session = Awaited<ReturnType<Client['auth']['me']['query']>>;
export type Permission = Session['permissions'][number];
export type SessionPlant = Session['plants'][number];
export type UserRow = Awaited<ReturnType<Client['users']['list']['query']>>[number];
export type RoleRow = Awaited<ReturnType<Client['rbac']['roles']['list']['query']>>[number];
export type PermissionInfo = Awaited<ReturnType<Client['rbac']['permissions']['query']>>[number];
export type ApiKeyRow = Awaited<ReturnType<Client['apiKeys']['list']['query']>>[number];
export type PlantRow = Awaited<ReturnType<Client['tenancy']['plants']['list']['query']>>[number];
export type AreaRow = Awaited<ReturnType<Client['masterdata']['areas']['list']['query']>>[number];
export type LineRow = Awaited<ReturnType<Client['masterdata']['lines']['list']['query']>>[number];
export type MachineRow = Awaited<ReturnType<Client['masterdata']['machines']['list']['query']>>[number];
export type StationRow = Awaited<ReturnType<Client['masterdata']['stations']['list']['query']>>[number];
export type EventsPage = Awaited<ReturnType<Client['events']['recent']['query']>>;
export type PlantEvent = EventsPage['items'][number];
export type EventKind = PlantEvent['kind'];
export type HistoryProgress = Awaited<ReturnType<Client['demo']['history']['query']>>;
export type SettingsRecord = Awaited<ReturnType<Client['settings']['get']['query']>>;
export type SearchAnswer = Awaited<ReturnType<Client['search']['query']['query']>>;
export type SearchGroupRow = SearchAnswer['groups'][number];
export type SearchResultRow = SearchGroupRow['results'][number];
