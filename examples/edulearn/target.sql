-- EDULEARN on PostgreSQL: the MongoDB collections users and courses
-- become tables, and the enrollments each user document held as an array
-- become a table of their own pointing at both. UUID keys (uuid5 of the
-- ObjectId), the ObjectIds in old_id; Extended JSON's types as columns'
-- (a $date is a timestamptz, a $numberLong a bigint), the nested address
-- flattened into columns.
create table courses (
	id uuid primary key,
	old_id text not null unique,
	code text not null unique,
	title text,
	credits integer,
	created_at timestamptz not null
);

create table users (
	id uuid primary key,
	old_id text not null unique,
	full_name text not null,
	email text unique,
	born_at timestamptz,
	points bigint,
	street text,
	city text,
	zip text,
	created_at timestamptz not null
);

-- An enrollment had no ObjectId of its own: its old_id is the user's
-- and the course's, which a user holds once each.
create table enrollments (
	id uuid primary key,
	old_id text not null unique,
	user_id uuid not null references users,
	course_id uuid not null references courses,
	enrolled_at timestamptz not null,
	grade text check (grade ~ '^[A-F][+-]?$'),
	unique (user_id, course_id)
);
