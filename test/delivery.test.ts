/** Per-service delivery: ECR, CodeBuild, CodePipeline, and Pulumi never rolling back the pipeline's image. */
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import * as YAML from "js-yaml";
import { asArray, fixture, FIXTURES, fixtureSettings, ofType, one, roleStatements, T } from "./helpers";

const TYPES = {
  repository: "aws:ecr/repository:Repository",
  lifecycle: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
  parameter: "aws:ssm/parameter:Parameter",
  project: "aws:codebuild/project:Project",
  pipeline: "aws:codepipeline/pipeline:Pipeline",
};

for (const stack of FIXTURES) {
  const settings = fixtureSettings(stack);
  const prefix = `platform-${stack}`;
  const pipelined = settings.services.filter((s) => s.pipeline);

  describe(`delivery pipelines (${stack})`, () => {
    it("builds one pipeline, repository and pair of build projects per pipeline-managed service", async () => {
      const result = await fixture(stack);
      expect(pipelined.map((s) => s.name)).to.deep.equal(["user", "payment", "notification"]);
      expect(ofType(result, TYPES.pipeline).map((p) => p.inputs.name)).to.deep.equal(pipelined.map((s) => `${prefix}-${s.name}`));
      // One repository per service in the stack's region (and a twin in the DR region, tested with replication).
      expect(ofType(result, TYPES.repository).filter((r) => r.region === settings.region)).to.have.length(pipelined.length);
      expect(ofType(result, TYPES.project)).to.have.length(2 * pipelined.length);
    });

    it("keeps images in KMS-encrypted ECR repositories that scan on push, with immutable tags and a lifecycle", async () => {
      const result = await fixture(stack);
      for (const s of pipelined) {
        const repo = one(result, TYPES.repository, `${s.name}-images`).inputs;
        expect(repo).to.include({ name: `${prefix}/${s.name}`, imageTagMutability: "IMMUTABLE" });
        expect(repo.imageScanningConfiguration).to.deep.equal({ scanOnPush: true });
        expect(repo.encryptionConfigurations).to.deep.equal([{ encryptionType: "KMS", kmsKey: one(result, T.kmsKey, "platform-key").state.arn }]);
        const rules = JSON.parse(one(result, TYPES.lifecycle, `${s.name}-images`).inputs.policy).rules;
        expect(rules.map((r: any) => r.selection.tagStatus)).to.deep.equal(["untagged", "any"]);
        expect(rules[1].selection.countNumber).to.equal(settings.delivery.keepImages);
      }
    });

    it("runs the image the pipeline last deployed, never rolling it back to the config image", async () => {
      const result = await fixture(stack);
      for (const s of pipelined) {
        const parameter = one(result, TYPES.parameter, `${s.name}-images-image`);
        expect(parameter.inputs).to.include({ name: `/${prefix}/${s.name}/image`, value: s.image });
        expect(parameter.ignoreChanges, "the pipeline owns the value").to.deep.equal(["value"]);
        const [container] = JSON.parse(one(result, T.taskDefinition, `${s.name}-svc-task`).inputs.containerDefinitions);
        // The mock's live value: the service's own repository at the tag its pipeline last pushed.
        const deployed = `${one(result, TYPES.repository, `${s.name}-images`).state.repositoryUrl}:0123456789ab`;
        expect(container.image, "the live parameter value, not the config image").to.equal(deployed);
        expect(container.image).to.not.equal(s.image);
      }
    });

    it("tests, builds and pushes in a privileged build; records the image in an unprivileged one; logs encrypted", async () => {
      const result = await fixture(stack);
      const keyArn = one(result, T.kmsKey, "platform-key").state.arn;
      const buildspec = fs.readFileSync(path.join(__dirname, "..", "delivery", "buildspec.yml"), "utf8");
      const parsed = YAML.load(buildspec) as any;
      expect(parsed.phases.build.commands.join("\n")).to.contain("--target test");
      expect(parsed.artifacts.files).to.deep.equal(["imagedefinitions.json"]);
      for (const s of pipelined) {
        const build = one(result, TYPES.project, `${s.name}-delivery-build`).inputs;
        expect(build.environment.privilegedMode).to.equal(true);
        expect(build.source).to.deep.equal({ type: "CODEPIPELINE", buildspec });
        expect(build.encryptionKey).to.equal(keyArn);
        expect(build.environment.environmentVariables).to.deep.include({ name: "CONTAINER_NAME", value: s.name, type: "PLAINTEXT" });
        const record = one(result, TYPES.project, `${s.name}-delivery-record`).inputs;
        expect(record.environment.privilegedMode).to.equal(false);
        for (const suffix of ["build", "record"]) {
          const logs = one(result, T.logGroup, `${s.name}-delivery-${suffix}-logs`).inputs;
          expect(logs).to.include({ kmsKeyId: keyArn, retentionInDays: settings.logRetentionDays });
        }
      }
    });

    it("goes source -> build -> deploy to that service only -> record, with KMS-encrypted artifacts", async () => {
      const result = await fixture(stack);
      for (const s of pipelined) {
        const pipeline = one(result, TYPES.pipeline, `${s.name}-delivery-pipeline`).inputs;
        expect(pipeline.stages.map((st: { name: string }) => st.name)).to.deep.equal(["Source", "Build", "Deploy", "Record"]);
        const source = pipeline.stages[0].actions[0];
        expect(source.provider).to.equal("CodeStarSourceConnection");
        expect(source.configuration).to.include({
          FullRepositoryId: s.pipeline!.repository,
          BranchName: s.pipeline!.branch,
          ConnectionArn: settings.delivery.connectionArn,
        });
        const deploy = pipeline.stages[2].actions[0];
        expect(deploy).to.include({ provider: "ECS", category: "Deploy" });
        expect(deploy.configuration).to.include({ ClusterName: prefix, ServiceName: `${s.name}-svc-service`, FileName: "imagedefinitions.json" });
        expect(pipeline.artifactStores[0].encryptionKey).to.deep.equal({ id: one(result, T.kmsKey, "platform-key").state.arn, type: "KMS" });
        const bucket = one(result, T.bucketEncryption, `${s.name}-delivery-artifacts`).inputs.rules[0].applyServerSideEncryptionByDefault;
        expect(bucket.sseAlgorithm).to.equal("aws:kms");
      }
    });

    it("scopes each pipeline's roles to that service's repository, projects, bucket, parameter and ECS service", async () => {
      const result = await fixture(stack);
      for (const s of pipelined) {
        const others = pipelined.filter((o) => o.name !== s.name).map((o) => o.name);
        const resources = ["pipeline", "build", "record"]
          .flatMap((r) => roleStatements(result, `${s.name}-delivery-${r}`))
          .flatMap((st) => asArray<string>(st.Resource));
        for (const arn of resources) {
          for (const other of others) expect(arn, `${s.name} pipeline touches ${other}`).to.not.match(new RegExp(`[/:-]${other}(-|/|$)`));
        }
        const pipelineRole = roleStatements(result, `${s.name}-delivery-pipeline`);
        expect(pipelineRole.find((st) => st.Sid === "DeployService").Resource).to.equal(
          `arn:aws:ecs:${settings.region}:123456789012:service/${prefix}/${s.name}-svc-service`,
        );
        const pass = pipelineRole.find((st) => st.Sid === "PassServiceRoles");
        expect(pass.Resource).to.have.members([one(result, T.role, `${s.name}-svc-task`).state.arn, one(result, T.role, `${s.name}-svc-execution`).state.arn]);
        expect(pass.Condition).to.deep.equal({ StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } });
        const record = roleStatements(result, `${s.name}-delivery-record`);
        // With a DR region, also the parameter's twin there, which the standby stack reads.
        const twins = settings.disasterRecovery.enabled ? [one(result, TYPES.parameter, `${s.name}-images-image-dr`).state.arn] : [];
        const recorded = record.find((st) => st.Sid === "RecordImage").Resource;
        expect(twins.length ? recorded : [recorded]).to.deep.equal([one(result, TYPES.parameter, `${s.name}-images-image`).state.arn, ...twins]);
        const push = roleStatements(result, `${s.name}-delivery-build`).find((st) => st.Sid === "PushImage");
        expect(push.Resource).to.equal(one(result, TYPES.repository, `${s.name}-images`).state.arn);
      }
    });

    it("reports failed executions to the alert topic", async () => {
      const result = await fixture(stack);
      for (const s of pipelined) {
        const pattern = JSON.parse(one(result, T.eventRule, `${s.name}-delivery-failed`).inputs.eventPattern);
        expect(pattern.detail).to.deep.equal({ pipeline: [`${prefix}-${s.name}`], state: ["FAILED"] });
        expect(one(result, T.eventTarget, `${s.name}-delivery-failed`).inputs.arn).to.equal(one(result, T.topic, "observability-alerts").state.arn);
      }
    });
  });
}
