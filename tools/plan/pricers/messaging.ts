/** The messaging tier of the monthly cost estimate: SQS. */
import type { Pricer } from "../pricing";
import { n, plural } from "../pricing";

export const priceMessaging: Pricer = ({ a, add, ofType }) => {
  const queues = ofType("aws:sqs/queue:Queue");
  const fifo = queues.filter((q) => q.inputs.fifoQueue === true).length;
  if (queues.length > 0) {
    const standard = queues.length - fifo;
    const basis = `${n(a.sqsRequestsMillions)} million requests/month assumed over ${plural(queues.length, "queue")} (incl. DLQs)`;
    add("SQS requests", "sqs-standard-requests-million", (a.sqsRequestsMillions * standard) / queues.length, basis + (fifo ? ", standard queues' share" : ""));
    add("SQS FIFO requests", "sqs-fifo-requests-million", (a.sqsRequestsMillions * fifo) / queues.length, basis + ", FIFO queues' share");
  }
};
