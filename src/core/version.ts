// The tool version shown in reports; kept in step with package.json by a test.
export const TOOL_VERSION = '0.1.0';
/** The project's home (README); SARIF's informationUri, and its README anchors are each code's helpUri. */
export const PROJECT_URL = 'https://github.com/rulegate/rulegate';
