'use strict';
// The API reference: NDX's own OpenAPI document (/openapi/ndx.yaml, served by this gateway) in Swagger UI.
// Calls are not tried from here: an agency's credentials belong in its system, not in a browser page.
window.ui = SwaggerUIBundle({
  url: '/openapi/ndx.yaml',
  dom_id: '#reference',
  deepLinking: true,
  supportedSubmitMethods: [],
  defaultModelsExpandDepth: 0,
});
