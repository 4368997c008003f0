package dev.sco.orchestrator.standby;

/** What a takeover's steps act on, read from the standby watch's record of it ({@link TakeoverGuard}). */
record TakeoverVariables(String pair, String newActing, String previous, String takeoverKey) {
}
