// Finds the records of a JSON body as its bytes stream in, so a 500 MB PT1H.json or GCP array is
// never held (or JSON.parse'd) whole: only one record's text at a time.
//
// What counts as a record ("element"):
//  - each item of the array under a stream key of a top-level object (`{"records":[…]}`,
//    `{"entries":[…]}`); the object's other keys are skipped;
//  - each item of a top-level array;
//  - a whole top-level object without a stream key (a single record, one per line in NDJSON,
//    or back to back as Firehose concatenates them).
// The scanner checks only the structure it needs to find boundaries (brackets, strings, the
// wrapper's keys and commas); the inside of an element is checked by JSON.parse afterwards.

export interface JsonElement {
  /** The element's JSON text (decoded as UTF-8). */
  text: string;
  /** Byte offset of its first byte in the (decoded) body. */
  offset: number;
  /** 1-based line of its first byte. */
  line: number;
  /** True for an item of a streamed array, false for a whole top-level object. */
  item: boolean;
  /** How deeply its objects and arrays nest (1 = flat): JsonRecordReader refuses absurd depths. */
  depth: number;
  /** Set when the element is longer than the scanner's limit: its size, and `text` is only its start. */
  oversizedBytes?: number;
}

/** Bytes of an oversized element kept (its dead letter's raw text). */
const OVERSIZED_HEAD = 8192;

export interface JsonProblem {
  /** Byte offset of the byte that broke the structure (or the body's length when it ends too early). */
  offset: number;
  line: number;
  message: string;
  /** False when the scanner skipped to the next line and goes on (NDJSON); true when it stopped. */
  fatal: boolean;
  /** True when it broke while reading the items of a streamed array. */
  item: boolean;
}

export interface JsonElementSink {
  element(element: JsonElement): void;
  problem(problem: JsonProblem): void;
}

// States (numbers keep the hot loop cheap).
const TOP = 0; // between top-level values
const OBJ_KEY_OR_END = 1; // after `{` of a top-level object
const OBJ_KEY = 2; // after `,` in a top-level object
const KEY = 3; // inside a key string of a top-level object
const KEY_ESC = 4;
const COLON = 5;
const OBJ_VALUE = 6; // value of a top-level object's key
const OBJ_COMMA_OR_END = 7;
const ARR_VALUE_OR_END = 8; // after `[` of a streamed array
const ARR_VALUE = 9; // after `,` in a streamed array
const ARR_COMMA_OR_END = 10;
const VALUE = 11; // inside a nested value (element or skipped key value)
const VALUE_STR = 12; // inside a string of a nested value
const VALUE_STR_ESC = 13;
const SCALAR = 14; // inside a number / true / false / null
const SKIP_LINE = 15; // after a problem: discarding up to the next newline
const DEAD = 16; // after a fatal problem: ignoring the rest

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;
const COMMA = 0x2c;
const COLON_CHAR = 0x3a;
const BOM = [0xef, 0xbb, 0xbf];

function isSpace(b: number): boolean {
  return b === 0x20 || b === NEWLINE || b === 0x0d || b === 0x09;
}

function isScalarStart(b: number): boolean {
  return b === 0x2d || (b >= 0x30 && b <= 0x39) || b === 0x74 || b === 0x66 || b === 0x6e; // - 0-9 t f n
}

/** What the nested value being read is: an element (its text is wanted) or a skipped key value. */
const FOR_ELEMENT = 0;
const FOR_SKIP = 1;

export class JsonElementScanner {
  private state = TOP;
  /** Absolute byte offset of the current chunk's first byte. */
  private base = 0;
  private line = 1;
  /** Bracket stack of the nested value being read (1 = object, 2 = array). */
  private stack: number[] = [];
  private valuePurpose = FOR_ELEMENT;
  /** Where the state to return to after a nested value is. */
  private afterValue = ARR_COMMA_OR_END;
  /** Whether the current top-level object streams an array (then it is not an element itself). */
  private streaming = false;
  /** Top-level array (items are elements) vs. array under a stream key. */
  private topArray = false;
  private keyBytes: number[] = [];
  private currentKey = '';
  // Capture of the element (or top-level object) being read: parts from earlier chunks.
  private capturing = false;
  private captureStart = 0;
  private captureParts: Buffer[] = [];
  private captureOffset = 0;
  private captureLine = 1;
  /** Line on which the current top-level value started (for NDJSON recovery). */
  private topLine = 1;
  /** Deepest bracket stack met since the capture started. */
  private depth = 0;
  /** The last top-level value began and ended on one line: the body is one record per line. */
  private onePerLine = false;
  /** Bytes of the capture in earlier chunks; past maxElementBytes its parts are dropped. */
  private captureSize = 0;
  private captureHead: Buffer | null = null;

  constructor(
    private readonly streamKeys: ReadonlySet<string>,
    private readonly sink: JsonElementSink,
    /** Longest element whose text is assembled: a longer one (a gzip bomb's one record) only has its size and start reported. */
    private readonly maxElementBytes = Infinity,
  ) {}

  /** Byte count seen so far. */
  get bytes(): number {
    return this.base;
  }

  push(chunk: Buffer): void {
    let i = 0;
    const n = chunk.length;
    if (this.capturing) this.captureStart = 0;
    while (i < n) {
      const b = chunk[i]!;
      switch (this.state) {
        case VALUE_STR: {
          // The hot path: most bytes of a flow log are inside strings (tuples). Plain bytes are
          // skipped in a tight loop: the switch and the state reads cost more than the byte itself.
          let c = b;
          while (c !== QUOTE && c !== BACKSLASH && c >= 0x20) {
            if (++i === n) break;
            c = chunk[i]!;
          }
          if (i === n) continue;
          if (c === QUOTE) {
            if (this.stack.length === 0) {
              // A string that is the whole value (an item such as "a tuple").
              i++;
              this.valueDone(chunk, i);
              continue;
            }
            this.state = VALUE;
          } else if (c === BACKSLASH) this.state = VALUE_STR_ESC;
          else {
            this.fail(chunk, i, 'a raw control character or line break inside a string');
            continue;
          }
          i++;
          continue;
        }
        case VALUE_STR_ESC:
          if (b < 0x20) {
            this.fail(chunk, i, 'a raw control character or line break inside a string');
            continue;
          }
          this.state = VALUE_STR;
          i++;
          continue;
        case VALUE: {
          // Between the strings of a nested value only brackets, quotes and line breaks matter.
          let c = b;
          while (c !== QUOTE && c !== OPEN_OBJ && c !== CLOSE_OBJ && c !== OPEN_ARR && c !== CLOSE_ARR && c !== NEWLINE) {
            if (++i === n) break;
            c = chunk[i]!;
          }
          if (i === n) continue;
          if (c === QUOTE) this.state = VALUE_STR;
          else if (c === OPEN_OBJ || c === OPEN_ARR) {
            if (this.stack.push(c === OPEN_OBJ ? 1 : 2) > this.depth) this.depth = this.stack.length;
          } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
            const want = c === CLOSE_OBJ ? 1 : 2;
            if (this.stack.pop() !== want) {
              this.fail(chunk, i, `unexpected "${String.fromCharCode(c)}"`);
              continue;
            }
            if (this.stack.length === 0) {
              i++;
              this.valueDone(chunk, i);
              continue;
            }
          } else if (c === NEWLINE && this.lineBreak(chunk, i)) continue;
          i++;
          continue;
        }
        case SCALAR:
          if (b === COMMA || b === CLOSE_ARR || b === CLOSE_OBJ || isSpace(b)) {
            // The delimiter belongs to the enclosing structure: handle it in the next state.
            this.valueDone(chunk, i);
            continue;
          }
          i++;
          continue;
        case TOP:
          // A UTF-8 byte order mark at the very start is not part of the JSON.
          if (isSpace(b) || (this.base + i < 3 && b === BOM[this.base + i])) {
            if (b === NEWLINE) this.line++;
            i++;
            continue;
          }
          this.topLine = this.line;
          if (b === OPEN_OBJ) {
            this.startCapture(i);
            this.streaming = false;
            this.topArray = false;
            this.state = OBJ_KEY_OR_END;
          } else if (b === OPEN_ARR) {
            this.topArray = true;
            this.state = ARR_VALUE_OR_END;
          } else {
            this.fail(chunk, i, `expected "{" or "[" to start a JSON document, found ${describe(b)}`);
            continue;
          }
          i++;
          continue;
        case OBJ_KEY_OR_END:
        case OBJ_KEY:
          if (isSpace(b)) {
            if (b === NEWLINE && this.lineBreak(chunk, i)) continue;
          } else if (b === QUOTE) {
            this.keyBytes.length = 0;
            this.state = KEY;
          } else if (b === CLOSE_OBJ && this.state === OBJ_KEY_OR_END) {
            this.topObjectDone(chunk, i + 1);
          } else {
            this.fail(chunk, i, `expected a key string, found ${describe(b)}`);
            continue;
          }
          i++;
          continue;
        case KEY:
          if (b === QUOTE) {
            this.currentKey = decodeKey(this.keyBytes);
            this.state = COLON;
          } else if (b === BACKSLASH) {
            this.keyBytes.push(b);
            this.state = KEY_ESC;
          } else if (b < 0x20) {
            this.fail(chunk, i, 'a raw control character or line break inside a key');
            continue;
          } else if (this.keyBytes.length < 256) this.keyBytes.push(b);
          i++;
          continue;
        case KEY_ESC:
          if (this.keyBytes.length < 256) this.keyBytes.push(b);
          this.state = KEY;
          i++;
          continue;
        case COLON:
          if (isSpace(b)) {
            if (b === NEWLINE && this.lineBreak(chunk, i)) continue;
          } else if (b === COLON_CHAR) this.state = OBJ_VALUE;
          else {
            this.fail(chunk, i, `expected ":" after the key "${this.currentKey}", found ${describe(b)}`);
            continue;
          }
          i++;
          continue;
        case OBJ_VALUE:
          if (isSpace(b)) {
            if (b === NEWLINE && this.lineBreak(chunk, i)) continue;
            i++;
            continue;
          }
          if (b === OPEN_ARR && !this.streaming && this.streamKeys.has(this.currentKey)) {
            // The wrapper streams: its items are the elements, the wrapper itself is not one.
            this.streaming = true;
            this.stopCapture();
            this.state = ARR_VALUE_OR_END;
            i++;
            continue;
          }
          if (!this.startValue(chunk, i, b, FOR_SKIP, OBJ_COMMA_OR_END)) continue;
          i++;
          continue;
        case OBJ_COMMA_OR_END:
          if (isSpace(b)) {
            if (b === NEWLINE && this.lineBreak(chunk, i)) continue;
          } else if (b === COMMA) this.state = OBJ_KEY;
          else if (b === CLOSE_OBJ) this.topObjectDone(chunk, i + 1);
          else {
            this.fail(chunk, i, `expected "," or "}" in the object, found ${describe(b)}`);
            continue;
          }
          i++;
          continue;
        case ARR_VALUE_OR_END:
        case ARR_VALUE:
          if (isSpace(b)) {
            if (b === NEWLINE && this.lineBreak(chunk, i)) continue;
            i++;
            continue;
          }
          if (b === CLOSE_ARR && this.state === ARR_VALUE_OR_END) {
            this.arrayDone();
            i++;
            continue;
          }
          this.startCapture(i);
          if (!this.startValue(chunk, i, b, FOR_ELEMENT, ARR_COMMA_OR_END)) continue;
          i++;
          continue;
        case ARR_COMMA_OR_END:
          if (isSpace(b)) {
            if (b === NEWLINE && this.lineBreak(chunk, i)) continue;
          } else if (b === COMMA) this.state = ARR_VALUE;
          else if (b === CLOSE_ARR) this.arrayDone();
          else {
            this.fail(chunk, i, `expected "," or "]" between records, found ${describe(b)}`);
            continue;
          }
          i++;
          continue;
        case SKIP_LINE:
          if (b === NEWLINE) {
            this.line++;
            this.state = TOP;
          }
          i++;
          continue;
        default: // DEAD
          i = n;
      }
    }
    if (this.capturing && this.captureStart < n) this.keepPart(chunk.subarray(this.captureStart));
    this.base += n;
  }

  /** The body has ended: a value still open means it was cut short. */
  end(): void {
    if (this.state === TOP || this.state === SKIP_LINE || this.state === DEAD) return;
    this.sink.problem({ offset: this.base, line: this.line, message: 'the body ends inside a JSON value (truncated?)', fatal: true, item: this.inItems() });
    this.state = DEAD;
    this.capturing = false;
    this.captureParts = [];
  }

  /** Starts reading a nested value at chunk[i] = b; returns false when b cannot start one (problem raised). */
  private startValue(chunk: Buffer, i: number, b: number, purpose: number, after: number): boolean {
    this.valuePurpose = purpose;
    this.afterValue = after;
    if (b === OPEN_OBJ || b === OPEN_ARR) {
      this.stack.length = 0;
      this.stack.push(b === OPEN_OBJ ? 1 : 2);
      if (this.depth < 1) this.depth = 1;
      this.state = VALUE;
      return true;
    }
    if (b === QUOTE) {
      // A lone string: read it as a value whose bracket stack is already empty.
      this.stack.length = 0;
      this.state = VALUE_STR;
      return true;
    }
    if (isScalarStart(b)) {
      this.state = SCALAR;
      return true;
    }
    this.fail(chunk, i, `expected a JSON value, found ${describe(b)}`);
    return false;
  }

  private valueDone(chunk: Buffer, end: number): void {
    if (this.valuePurpose === FOR_ELEMENT) this.emit(chunk, end);
    this.state = this.afterValue;
  }

  private topObjectDone(chunk: Buffer, end: number): void {
    this.onePerLine = this.topLine === this.line;
    if (!this.streaming) this.emit(chunk, end);
    this.streaming = false;
    this.state = TOP;
  }

  private arrayDone(): void {
    if (this.topArray) this.onePerLine = this.topLine === this.line;
    this.state = this.topArray ? TOP : OBJ_COMMA_OR_END;
    this.topArray = false;
  }

  /** Keeps one chunk's part of the capture, or only counts it once the capture is over the limit. */
  private keepPart(part: Buffer): void {
    this.captureSize += part.length;
    if (this.captureHead) return;
    this.captureParts.push(part);
    if (this.captureSize > this.maxElementBytes) {
      this.captureHead = Buffer.concat(this.captureParts).subarray(0, OVERSIZED_HEAD);
      this.captureParts = [];
    }
  }

  private startCapture(i: number): void {
    this.capturing = true;
    this.captureStart = i;
    this.captureSize = 0;
    this.captureHead = null;
    this.captureParts = [];
    this.captureOffset = this.base + i;
    this.captureLine = this.line;
    this.depth = 0;
  }

  private stopCapture(): void {
    this.capturing = false;
    this.captureParts = [];
  }

  /** Whether the scanner is among the items of a streamed array (vs. in a top-level object). */
  private inItems(): boolean {
    const s = this.state;
    if (s === ARR_VALUE_OR_END || s === ARR_VALUE || s === ARR_COMMA_OR_END) return true;
    return (s === VALUE || s === VALUE_STR || s === VALUE_STR_ESC || s === SCALAR) && this.valuePurpose === FOR_ELEMENT && (this.streaming || this.topArray);
  }

  private emit(chunk: Buffer, end: number): void {
    const last = chunk.subarray(this.captureStart, end);
    const size = this.captureSize + last.length;
    const item = this.streaming || this.topArray;
    if (size > this.maxElementBytes) {
      const head = this.captureHead ?? Buffer.concat([...this.captureParts, last.subarray(0, OVERSIZED_HEAD)]).subarray(0, OVERSIZED_HEAD);
      this.capturing = false;
      this.captureParts = [];
      this.captureHead = null;
      this.sink.element({ text: head.toString('utf8'), offset: this.captureOffset, line: this.captureLine, item, depth: 0, oversizedBytes: size });
      return;
    }
    const bytes = this.captureParts.length ? Buffer.concat([...this.captureParts, last]) : last;
    this.capturing = false;
    this.captureParts = [];
    // A top-level object's own brace is not on the stack (only its values' brackets are).
    this.sink.element({ text: bytes.toString('utf8'), offset: this.captureOffset, line: this.captureLine, item, depth: item ? this.depth : this.depth + 1 });
  }

  /**
   * A line break inside a top-level value (chunk[i]). Where the records so far were one per line,
   * a record still open at the end of its line is broken (cut short): it is reported and reading
   * goes on with the next line (true: the caller reads this byte again, in TOP). Otherwise the
   * value simply goes on (pretty-printed JSON); once it swallowed every later line of the body.
   */
  private lineBreak(chunk: Buffer, i: number): boolean {
    if (this.onePerLine) {
      this.fail(chunk, i, 'the record does not end on its line (cut short?)');
      return true;
    }
    this.line++;
    return false;
  }

  /**
   * The structure is broken at chunk[i]. In NDJSON (the broken value started on this line) the
   * rest of the line is dropped and reading goes on with the next line; inside a multi-line
   * document the boundaries of what follows cannot be trusted, so reading stops.
   */
  private fail(chunk: Buffer, i: number, message: string): void {
    const atNewline = chunk[i] === NEWLINE;
    const recover = this.topLine === this.line;
    this.sink.problem({ offset: this.base + i, line: this.line, message, fatal: !recover, item: this.inItems() });
    this.capturing = false;
    this.captureParts = [];
    this.stack.length = 0;
    this.streaming = false;
    this.topArray = false;
    // The caller goes on at the same byte: a newline there ends the broken line (TOP counts it).
    this.state = !recover ? DEAD : atNewline ? TOP : SKIP_LINE;
  }
}

function decodeKey(bytes: number[]): string {
  // Keys are nearly always plain ASCII: no buffer, no JSON.parse for those.
  if (bytes.every((b) => b < 0x80 && b !== BACKSLASH)) return String.fromCharCode(...bytes);
  try {
    return JSON.parse(`"${Buffer.from(bytes).toString('utf8')}"`) as string;
  } catch {
    return Buffer.from(bytes).toString('utf8');
  }
}

function describe(b: number): string {
  if (b === NEWLINE) return 'a line break';
  return b >= 0x20 && b < 0x7f ? `"${String.fromCharCode(b)}"` : `byte 0x${b.toString(16).padStart(2, '0')}`;
}
