// Registers the built-in operators of the types layer (after the types themselves).
import './operators-numeric.js';
import './operators-text.js';
