import type { Evidence } from '../store/evidence-port.js';
import { EXIT, UserError } from './io.js';

/**
 * The one rule for an event ID the user named that gives no incident (investigate --event-id,
 * timeline --incident, report --incident): exit 1 with a line saying why, never an empty answer.
 * Asked of the store port, as the investigation that found nothing was.
 */
export async function unknownDeletion(evidence: Pick<Evidence, 'eventById'>, eventId: string): Promise<UserError> {
  const event = await evidence.eventById(eventId);
  if (event === null) return new UserError(`no event with ID ${eventId} in this database`, EXIT.failure);
  if (event.event_name !== 'DeleteInstanceProfile') {
    return new UserError(`event ${eventId} is a ${String(event.event_name)}, not a DeleteInstanceProfile`, EXIT.failure);
  }
  return new UserError(`DeleteInstanceProfile ${eventId} is outside the other filters given (--instance-profile, --since, --until)`, EXIT.failure);
}
