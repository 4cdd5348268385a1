import type { Db } from '../store/database.js';
import { searchEvents } from '../store/queries.js';
import { EXIT, UserError } from './io.js';

/**
 * The one rule for an event ID the user named that gives no incident (investigate --event-id,
 * timeline --incident, report --incident): exit 1 with a line saying why, never an empty answer.
 */
export function unknownDeletion(db: Db, eventId: string): UserError {
  const [event] = searchEvents(db, { eventIds: [eventId] }, ['event_name']);
  if (event === undefined) return new UserError(`no event with ID ${eventId} in this database`, EXIT.failure);
  if (event.event_name !== 'DeleteInstanceProfile') {
    return new UserError(`event ${eventId} is a ${String(event.event_name)}, not a DeleteInstanceProfile`, EXIT.failure);
  }
  return new UserError(`DeleteInstanceProfile ${eventId} is outside the other filters given (--instance-profile, --since, --until)`, EXIT.failure);
}
