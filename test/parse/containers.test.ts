import { describe, expect, it } from 'vitest';
import { readContainer, readContainerBytes, readDeliveredRecords } from '../../src/parse/containers.js';
import { eventId, record } from '../support/cloudtrail.js';

const records = Array.from({ length: 12 }, (_, i) =>
  record({ eventID: eventId(200 + i), eventName: i % 2 ? 'DescribeInstances' : 'AssumeRole', userAgent: `agent-${i}` }),
);
const delivered = (values: unknown[]): Buffer => Buffer.from(JSON.stringify({ Records: values }));
/** Piece sizes from "cut at every record" to "one piece": each cut position gets exercised. */
const PIECE_SIZES = [1, 7, 100, 700, 5_000, 1 << 20];

describe('readDeliveredRecords', () => {
  for (const pieceBytes of PIECE_SIZES) {
    it(`when a delivered file is read in pieces of ${pieceBytes} bytes then its records are the ones read whole`, () => {
      const bytes = delivered(records);
      const whole = readContainer(bytes.toString('utf8'));
      expect(readDeliveredRecords(bytes, pieceBytes)).toEqual(whole);
      expect(whole.entries).toHaveLength(12);
    });
  }

  it('when the bytes around a piece are borrowed for its brackets then the file is left as it was, parsed or not', () => {
    const bytes = delivered(records);
    const before = Buffer.from(bytes);
    readDeliveredRecords(bytes, 1);
    expect(bytes.equals(before)).toBe(true);
    const broken = Buffer.from(bytes.toString('utf8').replace('"agent-5"', '"agent-5'));
    const brokenBefore = Buffer.from(broken);
    expect(readDeliveredRecords(broken, 1)).toBeNull();
    expect(broken.equals(brokenBefore)).toBe(true);
  });

  it('when multi-byte and invalid UTF-8 sit next to the cuts then the text decodes as it does whole', () => {
    const text = JSON.stringify({ Records: [record({ eventID: eventId(1), userAgent: 'é€😀' }), record({ eventID: eventId(2) })] });
    // A lone continuation byte and a truncated sequence right before a record's closing brace.
    const bytes = Buffer.from(text.replace('"é€😀"', '"\u0001X"'));
    const at = bytes.indexOf('\u0001X');
    bytes[at] = 0x80;
    bytes[at + 1] = 0xe2;
    for (const pieceBytes of PIECE_SIZES) {
      expect(readDeliveredRecords(bytes, pieceBytes)).toEqual(readContainer(bytes.toString('utf8')));
      expect(readDeliveredRecords(Buffer.from(text), pieceBytes)).toEqual(readContainer(text));
    }
  });

  it('when the record boundary appears inside strings and nested values then the records still equal the whole reading', () => {
    const hostile = [
      record({ eventID: eventId(1), userAgent: '},{"eventVersion":"1.0"}' }),
      record({ eventID: eventId(2), requestParameters: { items: [{ eventVersion: 'x' }, { eventVersion: 'y' }] } }),
      record({ eventID: eventId(3), errorMessage: '\\},{"eventVersion"' }),
    ];
    const bytes = delivered(hostile);
    for (const pieceBytes of PIECE_SIZES) {
      const pieces = readDeliveredRecords(bytes, pieceBytes);
      // A cut inside record 2's nested array cannot parse; then the caller reads it whole.
      if (pieces !== null) expect(pieces).toEqual(readContainer(bytes.toString('utf8')));
      expect(readContainerBytes(bytes)).toEqual(readContainer(bytes.toString('utf8')));
    }
    expect(readDeliveredRecords(bytes, 1)).toBeNull();
  });

  it('when the wrapper object has more than Records then it is not read in pieces, and whole reading decides', () => {
    const [first, second] = [JSON.stringify(records[0]), JSON.stringify(records[1])];
    const shapes = [
      `{"Records":[${first}],"Records":[${second}]}`,
      `{"Records":[${first}],"other":[1]}`,
      `{"Records":[${first},${second},]}`,
      `{"Records":[${first}]}]}`,
    ];
    for (const text of shapes) {
      for (const pieceBytes of PIECE_SIZES) expect(readDeliveredRecords(Buffer.from(text), pieceBytes)).toBeNull();
    }
    // Duplicate keys: the last one wins, as JSON.parse has it.
    expect(readContainerBytes(Buffer.from(shapes[0]!)).entries).toEqual([{ value: records[1] }]);
  });

  it('when a file is not byte for byte the delivery format then it is left to the whole reading', () => {
    const body = JSON.stringify({ Records: records.slice(0, 2) });
    const others = [
      `\ufeff${body}`,
      ` ${body}`,
      JSON.stringify({ Records: records.slice(0, 2) }, null, 2),
      '{"Records":[]}',
      JSON.stringify(records.slice(0, 2)),
      JSON.stringify({ Records: [{ eventTime: 'x', eventVersion: '1.0' }] }),
      '{"Records":[{"eventVersion"',
      '',
    ];
    for (const text of others) expect(readDeliveredRecords(Buffer.from(text), 1)).toBeNull();
    expect(readContainerBytes(Buffer.from(others[2]!))).toEqual(readContainer(others[2]!));
  });

  it('when the file ends in whitespace then the pieces still read it', () => {
    const bytes = Buffer.from(`${JSON.stringify({ Records: records.slice(0, 3) })}\r\n \t\n`);
    expect(readDeliveredRecords(bytes, 1)).toEqual(readContainer(bytes.toString('utf8')));
  });

  it('when a delivered record embeds a LookupEvents CloudTrailEvent then it is unwrapped as in the whole reading', () => {
    const inner = record({ eventID: eventId(9) });
    const bytes = delivered([{ eventVersion: '1.0', CloudTrailEvent: JSON.stringify(inner) }, records[0]]);
    const pieces = readDeliveredRecords(bytes, 1);
    expect(pieces?.entries[0]).toEqual({ value: inner });
    expect(pieces).toEqual(readContainer(bytes.toString('utf8')));
  });
});
