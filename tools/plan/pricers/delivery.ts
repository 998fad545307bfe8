/** The delivery tier of the monthly cost estimate: ECR, CodePipeline, CodeBuild. */
import type { Pricer } from "../pricing";
import { n, plural } from "../pricing";

export const priceDelivery: Pricer = ({ a, add, ofType, settings }) => {
  const repos = ofType("aws:ecr/repository:Repository").length;
  add(
    "ECR image storage",
    "ecr-storage-gb-month",
    repos * settings.delivery.keepImages * a.ecrImageGb,
    `${plural(repos, "repository", "repositories")} x ${settings.delivery.keepImages} images kept x ${n(a.ecrImageGb)} GB`,
  );
  const pipelines = ofType("aws:codepipeline/pipeline:Pipeline");
  const v2 = pipelines.filter((p) => (p.inputs.pipelineType ?? "V1") === "V2").length;
  const runs = v2 * a.deploysPerPipelinePerMonth;
  add(
    "CodePipeline V2 action minutes",
    "codepipeline-v2-action-minute",
    runs * a.pipelineActionMinutesPerRun,
    `${plural(v2, "V2 pipeline")} x ${n(a.deploysPerPipelinePerMonth)} runs x ${n(a.pipelineActionMinutesPerRun)} action-minutes`,
  );
  add("CodePipeline V1 pipelines", "codepipeline-v1-pipeline-month", pipelines.length - v2, plural(pipelines.length - v2, "V1 pipeline"));
  const projects = ofType("aws:codebuild/project:Project");
  const computeTypes = [...new Set(projects.map((p) => String(p.inputs.environment?.computeType ?? settings.delivery.computeType)))];
  if (computeTypes.length > 0) {
    const computeType = computeTypes.length === 1 ? computeTypes[0] : settings.delivery.computeType;
    const size = computeType.replace(/^BUILD_GENERAL1_/, "").toLowerCase();
    const builds = pipelines.length * a.deploysPerPipelinePerMonth;
    add(
      `CodeBuild ${size} Linux minutes`,
      `codebuild-linux-${size}-minute`,
      builds * a.buildMinutesPerRun,
      `${plural(pipelines.length, "pipeline")} x ${n(a.deploysPerPipelinePerMonth)} runs x ${n(a.buildMinutesPerRun)} build minutes (${projects.length} projects, ${computeType})`,
    );
  }
};
