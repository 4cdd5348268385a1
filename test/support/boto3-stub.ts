/**
 * A stand-in `boto3` package for running emitted Python programs: `Session(profile_name=…)`
 * whose `client(service, region_name=None)` accepts only the operations of that service
 * (boto3's snake_case names, from the AWS SDK model: aws-model.ts) with keyword arguments
 * that are input members, every required one given; `get_waiter(name)` only the service's
 * waiters. Each session and call is recorded as one JSON line; describe/get calls answer
 * with canned dicts; a canned failure raises as botocore's ClientError would.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { boto3StubModel } from './aws-model.js';
import { tempDir } from './cloudtrail.js';
import type { Answers } from './remediation-run.js';

const BOTO3_STUB = String.raw`"""Stub boto3 for trailsift's tests: validates and records calls, never reaches AWS."""
import json
import os

with open(os.environ["BOTO3_STUB_MODEL"]) as _model_file:
    _MODEL = json.load(_model_file)
_ANSWERS = json.loads(os.environ.get("BOTO3_STUB_ANSWERS", "{}"))


def _record(entry):
    with open(os.environ["BOTO3_STUB_CALLS"], "a") as out:
        out.write(json.dumps(entry, default=repr) + "\n")


class NoSuchEntityException(Exception):
    pass


class AccessDeniedException(Exception):
    pass


class ClientError(Exception):
    pass


_FAILED_SO_FAR = {}


def _maybe_fail(service, method, params):
    """A canned failure: the operation (the CLI's spelling) and a text its parameters hold, the first 'times' calls (0: every one)."""
    for index, failure in enumerate(_ANSWERS.get("failures", [])):
        if failure["operation"].replace("-", "_") != method or failure["needle"] not in json.dumps(params, default=repr):
            continue
        count = _FAILED_SO_FAR.get(index, 0)
        if failure.get("times", 0) == 0 or count < failure["times"]:
            _FAILED_SO_FAR[index] = count + 1
            raise ClientError("An error occurred (" + failure["code"] + ") when calling the " + method + " operation: stub failure")


def _check(service, what, spec, params):
    unknown = sorted(key for key in params if key not in spec["members"])
    missing = sorted(key for key in spec["required"] if key not in params)
    if unknown or missing:
        raise TypeError(f"{service}.{what}: unknown parameters {unknown}, missing required {missing}")


def _answer(service, method, params):
    if (service, method) == ("ec2", "describe_iam_instance_profile_associations"):
        instance = None
        for item in params.get("Filters", []):
            if item.get("Name") == "instance-id":
                instance = item["Values"][0]
        association = _ANSWERS.get("associations", {}).get(instance)
        # An association of the profile the plan restores (its name, from "profiles"), or one to another profile given since ("held").
        profile = _ANSWERS.get("profiles", {}).get(instance, "unknown-profile")
        if not association:
            association = _ANSWERS.get("held", {}).get(instance)
            profile = "another-profile"
        if not association:
            return {"IamInstanceProfileAssociations": []}
        return {"IamInstanceProfileAssociations": [{"AssociationId": association, "InstanceId": instance, "State": "associated", "IamInstanceProfile": {"Arn": "arn:aws:iam::000000000000:instance-profile/app/" + profile, "Id": "AIPAOLD"}}]}
    if (service, method) == ("iam", "get_account_password_policy"):
        policy = _ANSWERS.get("policy", "none")
        if policy == "none":
            raise NoSuchEntityException("An error occurred (NoSuchEntity) when calling the GetAccountPasswordPolicy operation: The Password Policy with domain name 000000000000 cannot be found.")
        if policy == "denied":
            raise AccessDeniedException("An error occurred (AccessDenied) when calling the GetAccountPasswordPolicy operation: not authorized")
        return {"PasswordPolicy": policy}
    if (service, method) == ("iam", "create_virtual_mfa_device"):
        return {"VirtualMFADevice": {"SerialNumber": "arn:aws:iam::000000000000:mfa/" + params["VirtualMFADeviceName"], "Base32StringSeed": b"JBSWY3DPEHPK3PXP"}}
    if (service, method) == ("organizations", "create_policy"):
        return {"Policy": {"PolicySummary": {"Id": "p-stub0000"}}}
    return {"ResponseMetadata": {"HTTPStatusCode": 200}}


class _Waiter:
    def __init__(self, client, name):
        self._client = client
        self._name = name

    def wait(self, **params):
        spec = _MODEL[self._client._service]["waiters"][self._name]
        params = dict(params)
        params.pop("WaiterConfig", None)
        _check(self._client._service, "get_waiter(" + self._name + ").wait", spec, params)
        _record({"profile": self._client._profile, "service": self._client._service, "region": self._client._region, "method": "wait:" + self._name, "params": params})


class _Client:
    def __init__(self, profile, service, region):
        if service not in _MODEL:
            raise ValueError("Unknown service: " + repr(service))
        self._profile = profile
        self._service = service
        self._region = region

    def get_waiter(self, name):
        if name not in _MODEL[self._service]["waiters"]:
            raise ValueError(f"Waiter does not exist: {self._service} {name}")
        return _Waiter(self, name)

    def __getattr__(self, method):
        if method.startswith("_"):
            raise AttributeError(method)
        spec = _MODEL[self._service]["operations"].get(method)
        if spec is None:
            raise AttributeError(f"'{self._service}' object has no attribute '{method}'")

        def call(*args, **params):
            if args:
                raise TypeError(f"{method}() only accepts keyword arguments.")
            _check(self._service, method, spec, params)
            _record({"profile": self._profile, "service": self._service, "region": self._region, "method": method, "params": params})
            _maybe_fail(self._service, method, params)
            if (self._service, method) == ("sts", "get_caller_identity"):
                # Each test profile is named after its account ("prof-<account>").
                return {"Account": self._profile[len("prof-"):] if self._profile.startswith("prof-") else self._profile}
            return _answer(self._service, method, params)

        return call


class Session:
    def __init__(self, profile_name=None, **unexpected):
        if unexpected:
            raise TypeError("unexpected Session arguments " + repr(sorted(unexpected)))
        if not profile_name:
            raise ValueError("a profile is required")
        self.profile_name = profile_name
        _record({"session": profile_name})

    def client(self, service_name, region_name=None, **unexpected):
        if unexpected:
            raise TypeError("unexpected client arguments " + repr(sorted(unexpected)))
        return _Client(self.profile_name, service_name, region_name)
`;

/** A boto3 that must never be imported (the dry run): importing it leaves a marker and fails. */
const POISON = String.raw`import os
open(os.environ["BOTO3_POISON_MARKER"], "w").close()
raise ImportError("the dry run must not import boto3")
`;

/**
 * The shell stub's answers (associations, held, failures, policy), plus the profile each
 * instance's association points at (profiles: instance ID → profile name, as
 * reassociationProfiles gives it), which the program compares by ARN.
 */
export interface Boto3Answers extends Answers {
  profiles?: Record<string, string>;
}

export interface PythonCall {
  profile: string;
  service: string;
  region: string | null;
  method: string;
  params: Record<string, unknown>;
}

export interface PythonRun {
  status: number | null;
  stdout: string;
  stderr: string;
  dir: string;
  /** Each call, in order. */
  calls: PythonCall[];
  /** The profile of each boto3.Session made, in order. */
  sessions: string[];
  /** Whether a poisoned boto3 was imported (dry runs only). */
  importedBoto3: boolean;
}

let modelPath: string | null = null;

function stubModelFile(): string {
  if (modelPath) return modelPath;
  const dir = tempDir('trailsift-boto3-model-');
  modelPath = join(dir, 'model.json');
  writeFileSync(modelPath, JSON.stringify(boto3StubModel()));
  return modelPath;
}

function baseEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !entry[0].startsWith('TRAILSIFT_PROFILE_') && entry[0] !== 'PYTHONPATH'),
  );
}

/**
 * Runs `python3 <program> [args]` in a fresh directory. With `stub` the recording boto3 is
 * first on PYTHONPATH; without it a poisoned one is, so an import shows.
 */
export function runPython(program: string, args: string[], env: Record<string, string>, options: { stub: boolean; answers?: Boto3Answers; driver?: string }): PythonRun {
  const dir = tempDir('trailsift-python-');
  const lib = join(dir, 'lib');
  mkdirSync(join(lib, 'boto3'), { recursive: true });
  writeFileSync(join(lib, 'boto3', '__init__.py'), options.stub ? BOTO3_STUB : POISON);
  writeFileSync(join(dir, 'remediate.py'), program);
  if (options.driver) writeFileSync(join(dir, 'driver.py'), options.driver);
  const calls = join(dir, 'calls.jsonl');
  const marker = join(dir, 'imported-boto3');
  const result = spawnSync('python3', [options.driver ? 'driver.py' : 'remediate.py', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...baseEnv(),
      ...env,
      PYTHONPATH: lib,
      PYTHONDONTWRITEBYTECODE: '1',
      BOTO3_STUB_MODEL: stubModelFile(),
      BOTO3_STUB_CALLS: calls,
      BOTO3_STUB_ANSWERS: JSON.stringify(options.answers ?? {}),
      BOTO3_POISON_MARKER: marker,
    },
  });
  const entries = existsSync(calls)
    ? readFileSync(calls, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as PythonCall | { session: string })
    : [];
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    dir,
    calls: entries.filter((entry): entry is PythonCall => !('session' in entry)),
    sessions: entries.flatMap((entry) => ('session' in entry ? [entry.session] : [])),
    importedBoto3: existsSync(marker),
  };
}
