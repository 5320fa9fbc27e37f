/**
 * Changing the archive from Discord: its files, bounded downloads, reload everywhere.
 * The wing's entry: everything outside src/bot/admin/ imports it from here.
 */
export { archiveExtension, moveToTrash, safeFileName, saveUpload, UPLOADS_OFF } from './archive-files.js';
export type { SaveResult } from './archive-files.js';
export { attachmentHosts, downloadWithin, formatSize, privateAttachmentHosts } from './download.js';
export { reloadAfterChange, reloadEverywhere } from './reload-everywhere.js';
export { DATABASE_DOWN, folderStore, postgresStore } from './archive-store.js';
export type { ArchiveStore } from './archive-store.js';
