// Cockpit configuration of the Service Continuity Orchestrator: the continuity console plugin
// (app/cockpit/continuity/plugin.js) adds a dashboard section, a header link and its own route.
export default {
  customScripts: ['continuity/plugin']
};
