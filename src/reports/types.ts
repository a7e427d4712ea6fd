export type ColumnType = 'date' | 'hour' | 'text' | 'channel' | 'language' | 'count' | 'number' | 'percent' | 'duration_ms' | 'money';
export interface ReportColumn {
  key: string;
  type: ColumnType;
  /** i18n key under console `reports.columns.*` */ label: string;
}
export interface ReportTable {
  id: string;
  /** i18n key `reports.tables.*` */ title: string;
  columns: ReportColumn[];
  rows: Array<Record<string, string | number | null>>;
}
export interface ReportChart {
  table: string;
  kind: 'line' | 'bar' | 'stacked-bar' | 'doughnut';
  x: string;
  y: string[];
  /** a column whose values become series (e.g. channel) */ series?: string;
}
export interface Report {
  name: ReportName;
  from: string;
  to: string;
  tables: ReportTable[];
  charts: ReportChart[];
}
export type ReportName = 'volume' | 'containment' | 'handoffs' | 'response-times' | 'csat' | 'care' | 'usage' | 'unanswered';
export interface ReportFilters {
  from: string;
  to: string;
  /** IANA zone for day/hour buckets */ timeZone: string;
  channel?: string;
  language?: string;
  team?: string;
}
