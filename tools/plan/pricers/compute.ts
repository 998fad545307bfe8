/** The compute tier of the monthly cost estimate: Fargate services (sizes and task counts from settings, capacity split from the */
import type { CapacityShare, Pricer } from "../pricing";
import { averageTasks, n } from "../pricing";
import { splitTasks } from "../pricing";

export const priceCompute: Pricer = ({ a, h, add, ofType, settings }) => {
  // services' capacity-provider strategy) and Lambda functions.
  const ecsServices = ofType("aws:ecs/service:Service");
  for (const svc of settings.services) {
    const resource = ecsServices.find((s) => s.inputs.tags?.Service === svc.name);
    if (!resource) throw new Error(`service "${svc.name}" from settings has no ECS service among the synthesized resources`);
    const strategy: CapacityShare[] = resource.inputs.capacityProviderStrategies ?? [{ capacityProvider: "FARGATE", weight: 1 }];
    const tasks = averageTasks(svc, a);
    const split = splitTasks(tasks, strategy);
    const vcpu = svc.cpu / 1024;
    const gb = svc.memory / 1024;
    const taskBasis = `${n(tasks)} avg tasks (${svc.minTasks} min + ${n(a.averageTasksFactor)} x (${svc.maxTasks} max - ${svc.minTasks}))`;
    for (const [provider, count] of Object.entries(split)) {
      const spot = provider === "FARGATE_SPOT";
      if (provider !== "FARGATE" && !spot) throw new Error(`service "${svc.name}" uses capacity provider ${provider}, which has no price`);
      const label = spot ? "Fargate Spot" : "Fargate";
      const share = tasks > 0 && Object.keys(split).length > 1 ? `, ${n(count)} of them on ${provider}` : "";
      add(
        `${svc.name}: ${label} vCPU`,
        spot ? "fargate-spot-linux-x86-vcpu-hour" : "fargate-linux-x86-vcpu-hour",
        count * vcpu * h,
        `${taskBasis}${share} x ${n(vcpu)} vCPU x ${n(h)} h`,
      );
      add(
        `${svc.name}: ${label} memory`,
        spot ? "fargate-spot-linux-x86-gb-hour" : "fargate-linux-x86-gb-hour",
        count * gb * h,
        `${taskBasis}${share} x ${n(gb)} GB x ${n(h)} h`,
      );
    }
  }

  for (const fn of ofType("aws:lambda/function:Function")) {
    const name = fn.inputs.name ?? fn.name;
    const memoryGb = (fn.inputs.memorySize ?? 128) / 1024;
    const arm = (fn.inputs.architectures ?? []).includes("arm64");
    add(
      `Lambda ${name}: requests`,
      "lambda-requests-million",
      a.lambdaInvocationsMillions,
      `${n(a.lambdaInvocationsMillions)} million invocations/month assumed`,
    );
    const gbSeconds = a.lambdaInvocationsMillions * 1e6 * (a.lambdaAverageDurationMs / 1000) * memoryGb;
    add(
      `Lambda ${name}: duration`,
      arm ? "lambda-arm-gb-second" : "lambda-x86-gb-second",
      gbSeconds,
      `${n(a.lambdaInvocationsMillions)} million x ${n(a.lambdaAverageDurationMs)} ms x ${n(memoryGb)} GB (${arm ? "arm64" : "x86_64"})`,
    );
  }
};
