/**
 * Maintenance pauses (issue 15 point 3): {@code /api/pauses}, the sensors' view of what is paused
 * ({@link dev.sco.orchestrator.pause.Pauses}), the pause watchdog that ends pauses by time, and
 * the review an operator does when a pause ends while its target is unhealthy
 * ({@code maintenancePauseReviewProcess}). See {@code docs/runbooks/maintenance-pause.md}.
 */
package dev.sco.orchestrator.pause;
