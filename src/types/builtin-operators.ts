// Registers the built-in operators of the types layer (after the types themselves).
import './operators-numeric.js';
import './operators-text.js';
import './operators-datetime.js';
import './casts-datetime.js';
import './casts-system.js';
import './operators-array.js';
