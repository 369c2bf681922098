// The Bimtek tab's words, Indonesian first (the tab's own table, so that the editor's shared
// dictionary in i18n.ts only gains the tab's name).
import type { Lang } from '../i18n';

const id = {
  'docs.title': 'Dokumen Bimtek',
  'docs.hint': 'Dokumen siap cetak (A4) dari masterplan pada versi yang sedang ditampilkan, dalam bahasa antarmuka.',
  'docs.buku1': 'Buku I — Analisis Kesiapan Daerah',
  'docs.buku2': 'Buku II — Masterplan Smart City',
  'docs.ringkasan': 'Ringkasan Eksekutif',
  'docs.quickwin': 'Profil Quick Win',
  'docs.pdf': 'Unduh PDF',
  'docs.html': 'HTML',
  'docs.preparing': 'Menyiapkan {name}…',
  'docs.done': '{file} diunduh ({size})',
  'docs.failed': '{name} tidak dapat diunduh: {message}',
  'docs.atVersion': 'versi {version}',
  'stages.title': 'Tahapan Bimtek',
  'stages.stage': 'Tahap {n}',
  'stages.closed': 'Ditutup',
  'stages.current': 'Berjalan',
  'stages.open': 'Belum',
  'stage.1': 'Kesiapan daerah dan arah',
  'stage.2': 'Misi dan program',
  'stage.3': 'Strategi dan peta jalan',
  'stage.4': 'Finalisasi',
  'checklist.owes': 'Menjadi tanggung jawab: {who}',
  'checklist.timPelaksana': 'Tim Pelaksana',
  'schedule.title': 'Jadwal dan kehadiran',
  'schedule.scheduled': 'Dijadwalkan',
  'schedule.held': 'Dilaksanakan',
  'schedule.place': 'Tempat',
  'schedule.online': 'Tautan daring',
  'schedule.experts': 'Tenaga ahli',
  'schedule.members': 'Anggota hadir',
  'schedule.opds': 'OPD hadir',
  'schedule.none': '—',
  'notes.title': 'Catatan',
  'notes.empty': 'Belum ada catatan.',
  'close.button': 'Tutup tahap',
  'close.refused': 'Tahap {n} belum dapat ditutup. Yang masih kurang:',
  'close.done': 'Tahap {n} ditutup.',
};

const en: Record<keyof typeof id, string> = {
  'docs.title': 'Bimtek documents',
  'docs.hint': 'Print-ready (A4) documents of the masterplan at the version shown, in the interface language.',
  'docs.buku1': 'Book I — Regional Readiness Analysis',
  'docs.buku2': 'Book II — Smart City Masterplan',
  'docs.ringkasan': 'Executive Summary',
  'docs.quickwin': 'Quick-Win Profiles',
  'docs.pdf': 'Download PDF',
  'docs.html': 'HTML',
  'docs.preparing': 'Preparing {name}…',
  'docs.done': '{file} downloaded ({size})',
  'docs.failed': '{name} could not be downloaded: {message}',
  'docs.atVersion': 'version {version}',
  'stages.title': 'Bimtek stages',
  'stages.stage': 'Stage {n}',
  'stages.closed': 'Closed',
  'stages.current': 'Current',
  'stages.open': 'Not yet',
  'stage.1': 'Readiness and direction',
  'stage.2': 'Missions and programs',
  'stage.3': 'Strategy and roadmap',
  'stage.4': 'Finalisation',
  'checklist.owes': 'Owed by: {who}',
  'checklist.timPelaksana': 'Tim Pelaksana',
  'schedule.title': 'Schedule and attendance',
  'schedule.scheduled': 'Scheduled',
  'schedule.held': 'Held',
  'schedule.place': 'Place',
  'schedule.online': 'Online link',
  'schedule.experts': 'Experts',
  'schedule.members': 'Members present',
  'schedule.opds': 'OPDs present',
  'schedule.none': '—',
  'notes.title': 'Notes',
  'notes.empty': 'No notes yet.',
  'close.button': 'Close stage',
  'close.refused': 'Stage {n} cannot be closed yet. Still missing:',
  'close.done': 'Stage {n} closed.',
};

export type BimtekKey = keyof typeof id;

export function bt(lang: Lang, key: BimtekKey, params: Record<string, string | number> = {}): string {
  const text = (lang === 'id' ? id : en)[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => (name in params ? String(params[name]) : `{${name}}`));
}

export const ROMAN = ['', 'I', 'II', 'III', 'IV'];
